"""The quality report's section per closed calibration session: who scored what, the agreement
per category (percent of reviewer pairs giving the same answer, Krippendorff's alpha with a
rating against an N/A counted as a disagreement), and the reference ratings with their notes."""

from __future__ import annotations

from reportlab.platypus import Flowable

from reports.blocks import esc, figure_cell, gap, number, section, table
from reports.styles import Paragraph, Styles
from review.figures.agreement import Cell
from review.figures.session_agreement import SessionAgreement, answer_text


def session_section(found: SessionAgreement, styles: Styles) -> list[Flowable]:
    """One closed session: its heading and caption, the agreement table, the references."""
    s = found.session
    when = (s.closed_at or "")[:10]
    reviewers = ", ".join(found.reviewers)
    note = (
        f"{len(found.conversations)} conversations scored blind by {reviewers}; closed {when} "
        f"by {s.closed_by or 'a manager'}. Agreement = the same answer (N/A against N/A "
        "agrees, a rating against N/A disagrees); α = Krippendorff's alpha, ordinal, N/A at the "
        "scale's largest distance from any rating. A session is reported whole, whatever "
        "the report's period, team and agent filters."
    )
    rows = [
        [c.name, figure_cell(c.agreement, "pairs", styles), number(c.alpha, 2)]
        for c in found.categories
    ]
    out: list[Flowable] = [
        section(f"Calibration session: {s.name}", styles, [Paragraph(esc(note), styles.caption)]),
        table(
            ["Category", "Same answer (95%)", "Krippendorff's α"],
            rows,
            ["46%", "32%", "22%"],
            styles,
            right=(2,),
        ),  # fmt: skip
    ]
    subjects = dict(found.conversations)
    referenced = []
    for category in found.categories:
        for i, (cid, _) in enumerate(found.conversations):
            reference = found.references.get((cid, category.category_id))
            if reference is None:
                continue
            answers = " / ".join(answer_text(c, category.scale) for c in category.answers[i])
            ref = answer_text(Cell(reference.rating, reference.is_na), category.scale)
            referenced.append([subjects.get(cid) or f"#{cid}", category.name, answers, ref,
                               reference.note or ""])  # fmt: skip
    out.append(gap())
    if referenced:
        out.append(
            table(
                ["Conversation", "Category", f"Answers ({reviewers})", "Reference", "Note"],
                referenced,
                ["22%", "16%", "20%", "12%", "30%"],
                styles,
            )  # fmt: skip
        )
    else:
        out.append(Paragraph("No reference rating was recorded in this session.", styles.caption))
    return out


def session_sections(sessions: tuple[SessionAgreement, ...], styles: Styles) -> list[Flowable]:
    """A section per closed session (none when there is no closed session)."""
    return [flowable for found in sessions for flowable in session_section(found, styles)]
