"""The review panel's automatic suggestions: each category row shows the rules' suggestion
under an empty rating (desktop/category_row.py), the reader highlights the words the focused
category's suggestion rests on (`evidence_changed`), and A or a row's Accept button accepts an
offered suggestion through the window's operations ("accept-suggestion": a normal rating
marked as accepted, undone with Ctrl+Z like any rating).

A mixin of ReviewPanel (desktop/review_panel.py), kept apart so that file stays about showing
and writing the review.
"""

from __future__ import annotations

from review.operations import Call
from review.reviewing.autoqa.suggestions import accepted_categories


class ReviewSuggestions:
    """Mixed into ReviewPanel; uses its rows, focus, ratings and writing methods."""

    def _draw_suggestions(self, shown: dict) -> None:
        for row in self.rows:
            cid = row.category.id
            rating, na, *_ = shown[cid]
            pending = self._pending.get(("rate", self.conversation_id, cid))
            accepted = pending.accepted if pending is not None else cid in self.accepted
            rated = rating is not None or na
            row.show_suggestion(self.suggestions.get(row.category.key), rated, accepted)
        self._say_suggestions()
        focused = self.focused_row()
        self._show_evidence(
            self.suggestions[focused.category.key].evidence
            if focused is not None and focused.suggestion_kind is not None
            else []
        )

    def _read_suggestions(self) -> None:
        found = self.source.stored(self.conversation_id) if self.source is not None else []
        self.suggestions = {s.category_key: s for s in found}
        self._read_accepted()

    def _read_accepted(self) -> None:
        self.accepted = accepted_categories(self.db, self.review.id if self.review else None)

    def _say_suggestions(self) -> None:
        """One line above the rubric: the rules at work, or what they suggest here."""
        working = self.source is not None and self.source.working_on(self.conversation_id)
        kinds = [row.suggestion_kind for row in self.rows]
        offered, hints, flags = (kinds.count(k) for k in ("offered", "hint", "flag"))
        if working and not self.suggestions:
            text = "The automatic rules are reading this conversation…"
        elif not (offered or hints or flags):
            text = ""
        else:
            parts = []
            if offered:
                parts.append(f"{offered} suggested (A accepts)")
            if hints:
                parts.append(f"{hints} hint{'s' * (hints != 1)}")
            if flags:
                parts.append(f"⚠ {flags} flag{'s' * (flags != 1)} to read")
            text = "Automatic: " + ", ".join(parts)
        if self.suggestions_label.text() != text:
            self.suggestions_label.setText(text)
        self.suggestions_label.setVisible(bool(text))

    def _suggestions_ready(self, conversation_id: int, found: list) -> None:
        if conversation_id != self.conversation_id:
            return  # the reviewer moved on: these are stored for when they come back
        self.suggestions = {s.category_key: s for s in found}
        self._redraw()

    def _show_evidence(self, evidence: list[dict]) -> None:
        key = tuple((e["message_id"], e["start"], e["end"]) for e in evidence)
        if key != self._evidence:
            self._evidence = key
            self.evidence_changed.emit(list(evidence))

    def _accept_clicked(self, category_id: int) -> None:
        self._focus_category_id(category_id, redraw=False)
        self.accept_suggestion()

    def accept_suggestion(self) -> None:
        """A (or a row's Accept button): rate the focused category with its suggested rating,
        marked as accepted, then move on like a rating. Says why in the status bar when there
        is nothing to accept (no suggestion, a hint, a flag, a rating already there)."""
        row = self.focused_row()
        if row is None or not self._can_write():
            return
        name = row.category.name
        suggestion = self.suggestions.get(row.category.key)
        rating, na, *_ = self._ratings()[row.category.id]
        problem = None
        if suggestion is None:
            working = (
                self.source is not None
                and self.source.working_on(self.conversation_id)
                and not self.suggestions
            )
            problem = (
                f"The rules are still reading this conversation: no suggestion for “{name}” yet."
                if working
                else f"There is no automatic suggestion for “{name}”: rate it yourself."
            )
        elif suggestion.is_flag:
            problem = f"“{name}” carries a flag for you to read, not a rating: rate it yourself."
        elif not suggestion.offered:
            problem = (
                f"The suggestion for “{name}” is only a hint: the rules do not agree well "
                "enough with your reviewers on it yet. Rate it yourself."
            )
        elif rating is not None or na:
            problem = (
                f"“{name}” is rated already: a suggestion is accepted into an empty rating "
                "(clear it first by pressing its rating again)."
            )
        if problem is not None:
            self.status.emit(problem)
            return
        assert suggestion is not None
        key = ("rate", self.conversation_id, row.category.id)
        call = Call("accept-suggestion", self._args(suggestion_id=suggestion.id))
        if self._write(key, (suggestion.rating, suggestion.is_na), call):
            self._pending[key].accepted = True
        self.status.emit("")
        self._redraw()
        self._advance()
