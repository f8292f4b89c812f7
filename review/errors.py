"""Typed errors that carry what a person needs to fix the problem: file, record, field, problem."""

from __future__ import annotations


class SavedeskError(Exception):
    """Base of every error savedesk raises on purpose; its str() is a sentence for the user."""


class NotASavedeskDatabase(SavedeskError):
    """The file exists but is not a savedesk database (or is damaged); nothing was changed."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path} is not a savedesk database: {problem}. Nothing was changed.")


class DatabaseTooNew(SavedeskError):
    """The database was written by a newer savedesk than this one."""

    def __init__(self, path: str, unknown_steps: list[str]):
        self.path = path
        self.unknown_steps = unknown_steps
        super().__init__(
            f"{path} was made by a newer version of savedesk (it has schema steps this version "
            f"does not know: {', '.join(unknown_steps)}). Update savedesk to open it."
        )


class DatabaseReadOnly(SavedeskError):
    """The database file may not be written (read-only file, folder or medium)."""

    def __init__(self, path: str, problem: str = ""):
        self.path = path
        self.problem = problem
        extra = f": {problem}" if problem else ""
        super().__init__(f"{path} is read-only{extra}. Make it writable to work in it.")


class UnknownFormat(SavedeskError):
    """A file matched none of the export formats savedesk reads."""

    def __init__(self, path: str, known: list[str], detail: str = ""):
        self.path = path
        self.known = known
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"{path} is not an export savedesk recognises{extra}. "
            f"Known formats: {', '.join(known)}. Pass --format to choose one."
        )


class ImportFailed(SavedeskError):
    """A whole file could not be imported; the database was left as it was.

    `record` is a 1-based record number or line, `helpdesk_id` the helpdesk's own id when known.
    """

    def __init__(
        self,
        path: str,
        problem: str,
        record: int | None = None,
        helpdesk_id: str | None = None,
        field: str | None = None,
    ):
        self.path = path
        self.problem = problem
        self.record = record
        self.helpdesk_id = helpdesk_id
        self.field = field
        where = []
        if record is not None:
            where.append(f"record {record}")
        if helpdesk_id:
            where.append(f"id {helpdesk_id}")
        if field:
            where.append(f"field '{field}'")
        at = f" ({', '.join(where)})" if where else ""
        super().__init__(f"{path}{at}: {problem}. The database was left as it was.")


class InvalidInput(SavedeskError):
    """A value given by the user (command line, dialog, file) is not acceptable."""


class InvalidRubric(SavedeskError):
    """A rubric file was refused; `line` (1-based, None when unknown) points at the problem."""

    def __init__(self, path: str, problem: str, line: int | None = None):
        self.path = path
        self.problem = problem
        self.line = line
        at = f", line {line}" if line is not None else ""
        super().__init__(f"{path}{at}: {problem}")


class NotFound(SavedeskError):
    """A record named by id (review, rubric, category, note, queue...) does not exist."""

    def __init__(self, kind: str, key: object):
        self.kind = kind
        self.key = key
        super().__init__(f"There is no {kind} {key}.")


class StoreBehind(SavedeskError):
    """A team store whose schema is older than this savedesk's (or empty): an admin upgrades it."""

    def __init__(self, where: str, at: str | None, head: str):
        self.where, self.at, self.head = where, at, head
        state = "has no savedesk store yet" if at is None else f"is at schema {at}"
        super().__init__(
            f"The team store at {where} {state} and this savedesk needs {head}: "
            f"ask an admin to run savedesk admin upgrade {where}."
        )


class StoreTooNew(SavedeskError):
    """A team store made by a newer savedesk: this one cannot read it safely."""

    def __init__(self, where: str, at: str):
        self.where, self.at = where, at
        super().__init__(
            f"The team store at {where} was upgraded by a newer savedesk (schema {at}): "
            "update savedesk to work in it."
        )


class EditConflict(SavedeskError):
    """A write lost the race: someone changed the record after the writer last saw it, so the
    write changed nothing. `who` and `when` say whose change won."""

    def __init__(self, what: str, who: str | None, when: str | None, doing: str = "your change"):
        self.what, self.who, self.when = what, who, when
        by = f" by {who}" if who else ""
        at = f" at {when.replace('T', ' ').rstrip('Z')} UTC" if when else ""
        super().__init__(
            f"{doing[:1].upper()}{doing[1:]} was not saved: {what} was changed{by}{at} after you "
            "opened it; their change is shown now."
        )


class NotAllowed(SavedeskError):
    """The team store's server refused a write (or read) the signed-in person's role may not do."""

    def __init__(self, login: str | None, detail: str):
        self.login, self.detail = login, detail
        who = login or "this login"
        super().__init__(f"The team store does not allow {who} to do this ({detail}).")
