"""The open conversation's automatic suggestions, for one window, without ever holding up a key.

The stored suggestions are read at once (a fraction of a millisecond). The rules (phrase
lists, churn phrases; the spelling dictionaries on first use) load off the GUI thread, once a
session while their files are unchanged. When the open conversation has no suggestions from the current rule set, the
rules read it off the GUI thread too (review.reviewing.autoqa.run.rescore_job, on a connection
of its own) and `ready` hands the new suggestions over when they are stored. One conversation
is scored at a time: moving on while one is scored queues only the latest.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.jobs import BackgroundCall, JobRunner
from review.store.failures import store_problem
from review.store.rights import may_review

log = logging.getLogger("savedesk")
# Rules loaded in this process, by version (a hash of their files): every window shares them,
# so they load once a session, not once a window or database (the load competes with the GUI
# thread for the interpreter).
_LOADED: dict[str, object] = {}


class SuggestionSource(QObject):
    """Reads and, when needed, makes the suggestions of the conversation a window shows."""

    ready = Signal(int, object)  # conversation id, list[StoredSuggestion] (just stored)
    rules_loaded = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.rules = None  # review.reviewing.autoqa.engine.Rules, once loaded
        self._loading: BackgroundCall | None = None
        self._scoring: JobRunner | None = None
        self._scoring_id: int | None = None
        self._wanted: int | None = None  # the conversation to score once the rules are in
        self._generation = 0  # bumped when the database or the phrase folders change
        self._scoring_generation = 0
        self.closed = False  # the window closed: what is under way is dropped on arrival

    # --- what the panel asks -----------------------------------------------------------------
    def stored(self, conversation_id: int) -> list:
        """The conversation's stored suggestions (any rule set), read now; asks for fresh
        ones in the background when the current rules have not read it."""
        from review.reviewing.autoqa.suggestions import suggestions_for_conversation

        if self.closed or not may_review(getattr(self.window, "person", None)):
            return []  # an agent's login reviews nothing: no rules to run for them
        self._wanted = conversation_id
        self._next()
        return suggestions_for_conversation(self.window.db, conversation_id)

    def working_on(self, conversation_id: int | None) -> bool:
        """True while the rules load, or read `conversation_id`, for the panel to say so."""
        if conversation_id is None:
            return False
        if self._scoring_id == conversation_id:
            return True
        return self.rules is None and self._wanted == conversation_id

    def close(self) -> None:
        """The window is closing (its database with it): cancel the scoring under way and take
        in nothing more."""
        self.closed = True
        if self._scoring is not None:
            self._scoring.cancel()

    def reload(self) -> None:
        """The database or its phrase folders changed: load the rules again when next needed
        (suggestions under way are taken in only if they are for the same database)."""
        self._generation += 1
        self.rules = None
        self._loading = None

    # --- loading the rules -------------------------------------------------------------------
    def _load_rules(self) -> None:
        from review.retention.churn import phrase_folders as churn_folders
        from review.reviewing.autoqa.engine import Rules
        from review.reviewing.autoqa.phrasebook import phrase_folders

        db = self.window.db
        folders: list[Path] = phrase_folders(db)
        churn: list[Path] = churn_folders(db)
        shared = _LOADED.get(Rules.version_of(folders, churn, True))
        if shared is not None:  # another window (or this one before) loaded these very files
            self.rules = shared
            self.rules_loaded.emit()
            return

        def load():
            return Rules.load(folders=folders, churn_folders=churn)

        call = BackgroundCall(load)
        # bound methods, not lambdas: Qt drops them with this object when the window goes
        call.done.connect(self._rules_in)
        call.ended.connect(self._load_ended)
        self._loading = call
        call.start()

    def _rules_in(self, rules) -> None:
        if self.sender() is not self._loading or self.closed:
            return  # loaded for a database (or folders) no longer open
        self.rules = rules
        _LOADED[rules.version] = rules
        self.rules_loaded.emit()
        self._next()

    def _load_ended(self) -> None:
        if self.sender() is self._loading and self.rules is None:
            self._loading = None  # it failed (logged): the next conversation tries again

    # --- scoring the open conversation -------------------------------------------------------
    def _next(self) -> None:
        cid = self._wanted
        if (
            self.closed
            or cid is None
            or self._scoring is not None
            or getattr(self.window, "read_only", False)
        ):
            return
        if self.rules is None:
            if self._loading is None:
                self._load_rules()
            if self.rules is None:
                return
        from review.reviewing.autoqa.suggestions import stored_ruleset

        try:
            stored = stored_ruleset(self.window.db, cid)
        except Exception as exc:
            if store_problem(exc) is None:
                raise
            return  # the store cannot be read just now (a lost server): the next look retries
        if stored == self.rules.version:
            return
        from review.reviewing.autoqa.run import rescore_job

        db_path, rules = self.window.db_path, self.rules
        runner = JobRunner(lambda: rescore_job(db_path, [cid], rules), self)
        runner.finished.connect(self._scored)
        runner.failed.connect(self._failed)
        runner.ended.connect(self._ended)
        self._scoring, self._scoring_id = runner, cid
        self._scoring_generation = self._generation
        runner.start()

    def _scored(self, _result) -> None:
        cid = self._scoring_id
        if cid is None or self.closed or self._scoring_generation != self._generation:
            return
        from review.reviewing.autoqa.suggestions import suggestions_for_conversation

        self.ready.emit(cid, suggestions_for_conversation(self.window.db, cid))

    def _failed(self, exc: BaseException) -> None:
        log.warning("the rules could not read conversation %s: %s", self._scoring_id, exc)

    def _ended(self) -> None:
        done = self._scoring_id
        self._scoring, self._scoring_id = None, None
        if self._wanted != done:
            self._next()  # the reviewer moved on meanwhile: the conversation now shown
