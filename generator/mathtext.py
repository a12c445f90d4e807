"""Math that lost its `$` and `\\` before it reached a listing, turned back into readable text.

A listing's abstract is what a web page showed, and a page shows LaTeX math
with its markup stripped: `$\\mathcal{O}(n)$` arrives as `mathcal{O}(n)`,
`$58.9 \\rightarrow 61.7$` as `58.9 rightarrow 61.7`, `$R^2$AG` as `R^2AG`. The
rules below undo the common forms, each only where it cannot be an English
word: arrows, `times 10^{n}` and `times` glued to a number (`64times64`,
`3times`), superscripts and subscripts, `sim` before a number, `mathcal{X}` and
friends, `circ`, `gg`/`ll`, Greek letter names that stand next to math (or that
the same text uses as a symbol elsewhere, or that replace a letter in a quoted
example: `'ergo' → 'epsilonrgo'`), LaTeX quotes (``` ``a'' ``` and `''a''` become
“a”, and `"a''` becomes "a", as the authors opened it), LaTeX comments (`%Code
will be ...`) and footnote marks (`dagger`).

A footnote mark goes, and the footnote's words stay: the abstract keeps what
its authors wrote (`dagger This work was done during an internship at Huawei.`
keeps its sentence). A subscript of several characters reads like a
superscript, `C_(Φ∘Ψ)` as `T^(3/4)`, except in the names of `NAMES_WITH_BRACES`,
which their authors write with braces.

What the rules leave is found by `residue()`, which `check` reports as a warning.
"""

from __future__ import annotations

import re

_SUPERSCRIPTS = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPTABLE = set("0123456789+-=()n")

_ARROWS = {
    "Longleftrightarrow": "⇔", "longleftrightarrow": "↔", "Leftrightarrow": "⇔",
    "leftrightarrow": "↔", "Longrightarrow": "⇒", "longrightarrow": "→", "Rightarrow": "⇒",
    "rightarrow": "→", "Longleftarrow": "⇐", "longleftarrow": "←", "Leftarrow": "⇐",
    "leftarrow": "←", "uparrow": "↑", "downarrow": "↓", "mapsto": "↦",
}
# Longest first, so that `leftrightarrow` is not read as `left` + `rightarrow`.
_ARROW = re.compile("|".join(sorted(_ARROWS, key=len, reverse=True)))

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "varepsilon": "ε", "epsilon": "ϵ",
    "zeta": "ζ", "eta": "η", "vartheta": "ϑ", "theta": "θ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "varpi": "ϖ", "pi": "π", "varrho": "ϱ",
    "rho": "ρ", "varsigma": "ς", "sigma": "σ", "tau": "τ", "upsilon": "υ", "varphi": "φ",
    "phi": "ϕ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
_GREEK_NAMES = "|".join(sorted(_GREEK, key=len, reverse=True))
# A Greek name next to math: before `_ ^ * ( ∘` or after `_ ^ { ∘`.
_GREEK_IN_MATH = re.compile(
    rf"(?<=[_^{{∘])(?P<a>{_GREEK_NAMES})(?![a-z])"
    rf"|(?<![A-Za-z])(?P<b>{_GREEK_NAMES})(?=[_^*(∘}}])"
)
# A capital Greek name listed with one-letter symbols: `U, Sigma, and V`.
_GREEK_WITH_SYMBOLS = re.compile(
    rf"(?<=\b[A-Z], )(?P<a>[A-Z][a-z]+)(?=,? (?:and )?[A-Z]\b)"
)

NAMES_WITH_BRACES = frozenset({"AntLM_{BabyLlama}", "AntLM_{LTG-BERT}", "Wukong_{ViT-B}"})
"""Names whose authors write a braced subscript: kept as they are by `readable_math`, and not
reported by `residue`. The one place to add such a name."""

_FONT = re.compile(r"\b(?:mathcal|mathbf|mathrm|mathit|mathsf|mathtt|mathbb|boldsymbol|bm|"
                   r"operatorname)\{(?P<body>[^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
_LONE_BRACES = re.compile(r"(?<![\w_^}])\{(?P<body>[A-Za-z0-9][\w-]*)\}")
# A name glued to a braced group lost the `_` of its subscript: `Wukong{ViT-B}`.
_GLUED_BRACES = re.compile(r"(?<![\w\\])(?P<name>[A-Z][A-Za-z0-9-]*)\{(?P<body>[^{}\s]+)\}")
_TIMES_POWER = re.compile(r"(?<=\d) ?\btimes ?(?=\d+\^)")
_TIMES_GLUED = re.compile(r"(?P<n>\d+)times(?![a-z])")
_SIM = re.compile(r"(?<![\w-])sim ?(?=\d)")
_CIRC = re.compile(r" ?(?:(?<=[A-Za-z}])circ\b|\bcirc\b) ?")
_QUOTE = re.compile(r"(?P<open>``|''|\")(?P<body>(?:(?!''|``)[^\"\n]){1,200}?)''")
"""A quotation that LaTeX closes with `''`, however it was opened."""
_SUB_BRACED = re.compile(r"(?P<name>[\w-]*)_\{(?P<body>[^{}]+)\}")
_MUCH = re.compile(r"(?<=\b[A-Za-z0-9] )(?P<op>gg|ll)(?= [A-Za-z0-9]\b)")
_SUPER = re.compile(r"(?<=\S)\^(?:\{(?P<braced>[^{}]*)\}|(?P<one>[A-Za-z0-9*+-]))")
_SUB = re.compile(r"(?P<base>(?<![\w])[A-Za-z]|\))_(?:\{(?P<braced>\d+)\}|(?P<one>\d)(?![\w.]))")
_ORDINALS = {"th", "st", "nd", "rd"}
_COMMENT = re.compile(r"(?:(?<=\s)|^)%[A-Za-z][^.!?]*[.!?]?")
# A quoted example of a letter swapped for a Greek one: `'ergo' → 'epsilonrgo'`.
_SWAPPED = re.compile(rf"(?<=→ ')(?P<word>[^'\s]*(?:{_GREEK_NAMES})[^'\s]*)(?=')")
# A footnote mark: raised (`Author^dagger`), or opening a sentence (`data. dagger This ...`).
_FOOTNOTE_MARK = re.compile(r"\^\{?d?dagger\}?|(?:(?<=[.!?] )|^)d?dagger (?=[A-Z])")


def _shape(pattern: re.Pattern[str]) -> str:
    """A converter's pattern without its group names, to be part of `_RESIDUE`."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern.pattern)


_RESIDUE_WORDS = ("mathcal|mathbf|mathrm|mathbb|mathit|textbf|textit|frac|sqrt|cdot|leq|geq|neq|"
                  "approx|infty|rightarrow|leftarrow|dagger")
_RESIDUE = re.compile(
    r"\b(?:" + _RESIDUE_WORDS.replace("approx", r"approx(?!\.)") + r"|ddagger)\b"
    r"|\^\{[^{}]*\}"
    rf"|{_shape(_SUB_BRACED)}|{_shape(_GLUED_BRACES)}|{_shape(_LONE_BRACES)}"
    rf"|(?<![A-Za-z])(?:{_GREEK_NAMES})(?=[_^{{])"
    rf"|{_shape(_TIMES_GLUED)}"
    r"|''|``"
    r"|\$[^$\s\d][^$]{0,60}\$"
    r"|(?:(?<=\s)|^)%[A-Za-z]"
    r"|\\[A-Za-z]+"
)


def _superscript(match: re.Match[str]) -> str:
    body = match["braced"] if match["braced"] is not None else match["one"]
    if body == "*":
        return "*"
    if body in _ORDINALS:
        return body
    if body and set(body) <= _SUPERSCRIPTABLE:
        return body.translate(_SUPERSCRIPTS)
    if match["braced"] is None:
        return match[0]  # `ReST^EM`: a name, not math
    return f"^({body})" if len(body) > 1 else f"^{body}"


def _subscript(match: re.Match[str]) -> str:
    return match["base"] + (match["braced"] or match["one"]).translate(_SUBSCRIPTS)


def _braced_subscript(match: re.Match[str]) -> str:
    name, body = match["name"], match["body"]
    if match[0] in NAMES_WITH_BRACES:
        return match[0]
    if body.isdigit():
        return name + body.translate(_SUBSCRIPTS)
    return f"{name}_({re.sub(r' ?∘ ?', '∘', body)})"


def _font(match: re.Match[str]) -> str:
    body = match["body"]
    if match[0].startswith("mathbb") and body in _BLACKBOARD:
        return _BLACKBOARD[body]
    return body


def _greek(text: str) -> str:
    """Greek names next to math become letters; a capital name the text uses as a symbol
    there also becomes one where it stands alone (`functions Psi` after `C_Psi`)."""
    used: set[str] = set()

    def letter(match: re.Match[str]) -> str:
        name = match["a"] or match["b"]
        used.add(name)
        return _GREEK[name]

    text = _GREEK_IN_MATH.sub(letter, text)
    text = _GREEK_WITH_SYMBOLS.sub(
        lambda m: letter(m) if m["a"] in _GREEK and m["a"][0].isupper() else m[0], text)
    for name in sorted(n for n in used if n[0].isupper()):
        text = re.sub(rf"(?<![\w-]){name}(?![\w-])", _GREEK[name], text)
    return text


def _quote(match: re.Match[str]) -> str:
    """LaTeX's quotes become typographic ones; a quotation the authors opened with a straight
    `"` is closed with one, as their other quotations are."""
    if match["open"] == '"':
        return f'"{match["body"]}"'
    return f"\u201c{match['body']}\u201d"


def _swapped(match: re.Match[str]) -> str:
    return re.sub(_GREEK_NAMES, lambda m: _GREEK[m[0]], match["word"])


def readable_math(text: str) -> str:
    """`text` with the stripped-LaTeX forms described in the module docstring made readable.
    Text without them comes back unchanged."""
    text = _COMMENT.sub("", text)
    text = _FOOTNOTE_MARK.sub("", text)
    text = _QUOTE.sub(_quote, text)
    text = _FONT.sub(_font, _FONT.sub(_font, text))  # twice: mathcal{mathcal{C}}
    text = _GLUED_BRACES.sub(lambda m: f"{m['name']}_{{{m['body']}}}", text)
    text = _LONE_BRACES.sub(lambda m: m["body"], text)
    text = _ARROW.sub(lambda m: _ARROWS[m[0]], text)
    text = _TIMES_POWER.sub(" × ", text)
    text = _TIMES_GLUED.sub(r"\g<n>×", text)
    text = _SIM.sub("~", text)
    text = _CIRC.sub("∘", text)
    text = _MUCH.sub(lambda m: "≫" if m["op"] == "gg" else "≪", text)
    text = _SWAPPED.sub(_swapped, text)
    text = _greek(text)
    text = _SUPER.sub(_superscript, text)
    text = _SUB_BRACED.sub(_braced_subscript, text)
    return _SUB.sub(_subscript, text)


# Every alternative of _RESIDUE and _SWAPPED needs one of these in the text: a mark, or a
# hint together with its pattern. Most texts have none, and each test is a fast substring
# search, while the full pattern tries a dozen alternatives at every character.
_MARKS = ("{", "$", "`", "''", "→ '")
_GREEK_BEFORE_MATH = re.compile(rf"(?:{_GREEK_NAMES})[_^]")
_HINTS = (("%", re.compile(r"%[A-Za-z]")), ("\\", re.compile(r"\\[A-Za-z]")),
          ("times", re.compile(r"\dtimes")), ("_", _GREEK_BEFORE_MATH), ("^", _GREEK_BEFORE_MATH),
          *((word, re.compile(rf"\b{word}\b")) for word in _RESIDUE_WORDS.split("|")))


def _may_have_residue(text: str) -> bool:
    return any(mark in text for mark in _MARKS) or any(
        hint in text and pattern.search(text) is not None for hint, pattern in _HINTS)


def residue(text: str) -> list[str]:
    """The pieces of `text` that still look like stripped LaTeX math or LaTeX quotes, in order
    (a name of `NAMES_WITH_BRACES` is not one)."""
    if not _may_have_residue(text):
        return []
    found = [m[0] for m in _RESIDUE.finditer(text) if m[0] not in NAMES_WITH_BRACES]
    return found + [m["word"] for m in _SWAPPED.finditer(text)]
