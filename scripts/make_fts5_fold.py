"""Read SQLite FTS5's unicode61 tokenizer (remove_diacritics 2) off the library, code point by code
point, and write review/store/fts5_fold.py: which characters separate words and how each other
character folds. FTS5's tables are Unicode 6.1 and frozen, so the file changes only if SQLite's
tokenizer does; tests/test_store_tokens.py checks it against the live library.

Usage: python scripts/make_fts5_fold.py
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "review" / "store" / "fts5_fold.py"


def read_tokenizer() -> tuple[list[tuple[int, int]], dict[int, str]]:
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("create virtual table v using fts5vocab(t, 'instance')")
    separators: list[tuple[int, int]] = []
    folds: dict[int, str] = {}
    points = [cp for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF and cp > 0]
    step = 20000
    for start in range(0, len(points), step):
        chunk = points[start : start + step]
        conn.execute("delete from t")
        conn.execute("insert into t values (?)", [" ".join(f"q{chr(cp)}q" for cp in chunk)])
        terms = [row[0] for row in conn.execute("select term from v order by offset")]
        at = 0
        for cp in chunk:
            if terms[at] == "q" and at + 1 < len(terms) and terms[at + 1] == "q":
                at += 2
                if separators and separators[-1][1] == cp - 1:
                    separators[-1] = (separators[-1][0], cp)
                else:
                    separators.append((cp, cp))
                continue
            term = terms[at]
            at += 1
            assert term.startswith("q") and term.endswith("q"), (hex(cp), term)
            folded = term[1:-1]
            if folded != chr(cp):
                folds[cp] = folded
        assert at == len(terms)
    return separators, folds


def main() -> None:
    separators, folds = read_tokenizer()
    lines = [
        '"""FTS5 unicode61 (remove_diacritics 2), read off SQLite by scripts/make_fts5_fold.py.',
        "",
        "Generated: do not edit. SEPARATORS are the code point ranges that split words; FOLDS maps",
        'every other code point that FTS5 changes to what it becomes ("" when it is dropped).',
        '"""',
        "",
        f"SEPARATORS = {separators!r}",
        "",
        "FOLDS = {",
        *(f"    {cp}: {value!r}," for cp, value in sorted(folds.items())),
        "}",
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"{OUT}: {len(separators)} separator ranges, {len(folds)} folds")


if __name__ == "__main__":
    main()
