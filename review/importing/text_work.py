"""The work an import does on each batch's message texts, in its own process or, for a big file
on a machine with a second core, in a worker process beside it: the churn signals of customer
messages (review.retention.churn) and the search index's rows (review.store.search_rows).

That work needs nothing from the database, and it is a sixth of a first import's time (on a
team store, with its search documents, more): the worker loads the same phrase files and answers
each batch with the rows the import would have made itself, while the import goes on parsing and
writing. Those rows are written a batch or two later, inside the same transaction, so the import
still lands whole or not at all. A worker that cannot start or dies is not a failure: its
batches are worked here.

The worker is `python -m review.importing.text_work file|server FOLDER...` (the rows' engine,
the phrase folders), batches and rows going as pickles over its standard input and output. Not
multiprocessing: its spawned children run the parent's main module again, and its forked ones
copy a threaded Qt process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from review.phrases import PhraseLists
from review.retention.churn import find_signals, load_phrases
from review.store.search_rows import MessageText, message_index_rows

# A file this big is worth a worker: starting one costs about 0.2 s of the other core, which
# then saves the import about 0.3 s for every 100,000 messages (measured on 200,000).
WORKER_FROM_BYTES = 16 * 1024 * 1024
_IN_FLIGHT = 2  # batches the worker may be behind before the import waits for it
_STOP_WAIT_S = 2.0  # how long a closing worker is given to exit before it is killed
# a batch takes it milliseconds: one not answered in this long means it is stuck, and its
# batches are worked here instead
_ANSWER_WAIT_S = 60.0

SignalRow = tuple[int, int, str, str, str, str]  # churn_signals' columns, in the writer's order
# the texts to index, the positions among them of the churn candidates, and other candidates
# (changed messages): the candidates' texts are not sent twice
Batch = tuple[list[MessageText], list[int], list[MessageText]]
Rows = tuple[list[SignalRow], list[tuple]]  # churn_signals rows, search_messages rows


def signal_rows(messages: Sequence[MessageText], lists: PhraseLists) -> list[SignalRow]:
    """The churn_signals rows of `messages`: conversation, message, phrase, words matched,
    intent, language."""
    return [
        (conversation_id, message_id, hit.phrase, hit.matched, hit.intent, hit.language)
        for conversation_id, message_id, body in messages
        for hit in find_signals(body, lists)
    ]


def batch_rows(batch: Batch, lists: PhraseLists, server: bool) -> Rows:
    """The churn_signals and search_messages rows of one batch (on a server or a file)."""
    texts, candidates_at, candidates = batch
    candidates = candidates + [texts[i] for i in candidates_at]
    return signal_rows(candidates, lists), message_index_rows(server, texts)


def worth_a_worker(size: int) -> bool:
    """Whether a file of `size` bytes should have its texts worked in a worker: a big one, on
    a machine where this process may use a second core."""
    if size < WORKER_FROM_BYTES:
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:  # not on Linux
        return (os.cpu_count() or 1) > 1


class _Worker:
    """The worker process, and a thread reading its answers (so that neither side can block
    the other on a full pipe)."""

    def __init__(self, folders: list[Path], server: bool) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, "server" if server else "file", *map(str, folders)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.answers: queue.SimpleQueue = queue.SimpleQueue()
        assert self.process.stdin is not None and self.process.stdout is not None
        self._to: IO[bytes] = self.process.stdin
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, answers: IO[bytes]) -> None:
        try:
            while True:
                self.answers.put(pickle.load(answers))
        except Exception:  # noqa: BLE001 - the end of the worker, however it ended
            self.answers.put(None)

    def send(self, batch: Batch) -> None:
        pickle.dump(batch, self._to, pickle.HIGHEST_PROTOCOL)
        self._to.flush()

    def stop(self) -> None:
        with contextlib.suppress(OSError):  # a broken pipe: it has gone already
            self._to.close()  # the worker exits at the end of its input
        try:
            self.process.wait(_STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class TextWork:
    """Works batches of message texts into churn_signals and search_messages rows, in a worker
    when `in_worker`; `server`: the rows are for a team store.

    `add(batch)` hands a batch over and returns the rows of the batches finished so far (all of
    them when there is no worker), in the order given; `rest()` waits for the others; `close()`
    stops the worker (an import that fails or is cancelled leaves none behind).
    """

    def __init__(self, folders: list[Path], server: bool, in_worker: bool = False):
        self._folders = folders
        self._server = server
        self._lists: PhraseLists | None = None
        self._worker: _Worker | None = None
        self._pending: deque[Batch] = deque()  # batches sent, not yet answered
        if in_worker:
            try:
                self._worker = _Worker(folders, server)
            except OSError:  # no process to be had: they are worked here
                self._worker = None

    @property
    def in_worker(self) -> bool:
        """Whether a worker is doing the work (False once it has failed)."""
        return self._worker is not None

    def add(self, batch: Batch) -> Rows:
        """Hand over one batch; the rows of every batch finished by now."""
        worker = self._worker
        if worker is None:
            return self._here(batch)
        self._pending.append(batch)
        try:
            worker.send(batch)
        except OSError:  # it has gone: this batch and those it had are worked here
            return self._without_worker(([], []))
        return self._answers(wait_for_all=False)

    def rest(self) -> Rows:
        """The rows of every batch still with the worker (waiting for them)."""
        return self._answers(wait_for_all=True)

    def _answers(self, wait_for_all: bool) -> Rows:
        # the worker's answers, in the order the batches were sent: those ready, waiting while
        # it is more than _IN_FLIGHT batches behind (or for every one)
        rows: Rows = ([], [])
        while self._pending and self._worker is not None:
            wait = wait_for_all or len(self._pending) > _IN_FLIGHT
            try:
                answer = self._worker.answers.get(block=wait, timeout=_ANSWER_WAIT_S)
            except queue.Empty:
                if wait:  # stuck
                    return self._without_worker(rows)
                break
            if answer is None:
                return self._without_worker(rows)
            self._pending.popleft()
            _extend(rows, answer)
        return rows

    def close(self) -> None:
        """Stop the worker, if any; batches not yet taken are dropped."""
        self._pending.clear()
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def _without_worker(self, rows: Rows) -> Rows:
        # the batches it did not answer, worked here in the order they were sent
        for batch in self._pending:
            _extend(rows, self._here(batch))
        self.close()
        return rows

    def _here(self, batch: Batch) -> Rows:
        if self._lists is None:
            self._lists = load_phrases(self._folders)
        return batch_rows(batch, self._lists, self._server)


def _extend(rows: Rows, more: Rows) -> None:
    rows[0].extend(more[0])
    rows[1].extend(more[1])


def _serve(server: bool, folders: list[Path], batches: IO[bytes], answers: IO[bytes]) -> None:
    lists = load_phrases(folders)
    while True:
        try:
            batch = pickle.load(batches)
        except EOFError:
            return
        pickle.dump(batch_rows(batch, lists, server), answers, pickle.HIGHEST_PROTOCOL)
        answers.flush()


if __name__ == "__main__":
    _serve(
        sys.argv[1] == "server",
        [Path(folder) for folder in sys.argv[2:]],
        sys.stdin.buffer,
        sys.stdout.buffer,
    )
