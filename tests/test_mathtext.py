"""Math that lost its `$` and `\\` in a listing, made readable; and what `check` still flags."""

from __future__ import annotations

import pytest

from generator.ingest.normalize import clean_text
from generator.mathtext import readable_math, residue


@pytest.mark.parametrize(
    ("raw", "readable"),
    [
        # Arrows, spaced or glued to the words around them.
        ("StrategyQA 58.9 rightarrow 61.7 acc.", "StrategyQA 58.9 → 61.7 acc."),
        ("on EnglishleftrightarrowGerman data", "on English↔German data"),
        ("the IWSLT14 (DErightarrowEN) task", "the IWSLT14 (DE→EN) task"),
        # `times 10^{n}`, superscripts, ordinals; `times` as a word stays.
        ("below 2.2 times 10^{15} FLOPs", "below 2.2 × 10¹⁵ FLOPs"),
        ("spanning 10^{19} to 10^{22} FLOPs", "spanning 10¹⁹ to 10²² FLOPs"),
        ("4 times larger", "4 times larger"),
        ("R^2AG and E^2-LLM and NLVR^2", "R²AG and E²-LLM and NLVR²"),
        ("the (K+1)^{th} token", "the (K+1)th token"),
        ("a O(K T^{3/4}) regret", "a O(K T^(3/4)) regret"),
        ("where L^* is", "where L* is"),
        ("ReST^EM", "ReST^EM"),  # a name, not math
        # Subscripts: digits only, after a one-letter symbol; names and decimals stay.
        ("weights W_1 and x_{12}", "weights W₁ and x₁₂"),
        ("AntLM_{BabyLlama} and n_TOF and F_0.5 and bert_base_1", "AntLM_{BabyLlama} and n_TOF and F_0.5 and bert_base_1"),
        # `sim` before a number; `mathcal` and friends; lone braces.
        ("a merely sim0.6 point decrease, sim 3x faster", "a merely ~0.6 point decrease, ~3x faster"),
        ("excess risk of mathcal{O}(mathcal{C_Phi/m})", "excess risk of O(C_Φ/m)"),
        ("over mathbb{R}^d", "over ℝ^d"),
        ("show a {O}(T) regret", "show a O(T) regret"),
        # Greek names next to math, and elsewhere in the same text when used as a symbol there.
        ("encoder Phi^*_tau instead of varphi^*", "encoder Φ*_τ instead of φ*"),
        ("models Phi and C_Phi", "models Φ and C_Φ"),
        ("bounds are Omega(T)", "bounds are Ω(T)"),
        ("using U, Sigma, and V matrices", "using U, Σ, and V matrices"),
        ("when m gg n and C_{Phicirc Psi}", "when m ≫ n and C_{Φ∘ Ψ}"),
        ("the Delta airline and alpha version", "the Delta airline and alpha version"),
        # A LaTeX comment to the end of its sentence; a footnote mark with its footnote.
        ("models. %Code will be made publicly available. Code is at", "models. Code is at"),
        ("the data. dagger This work was done at Huawei. In this paper", "the data. In this paper"),
        ("Author^dagger wrote", "Author wrote"),
        ("pruning the last p% layers", "pruning the last p% layers"),
    ],
)
def test_readable_math(raw: str, readable: str) -> None:
    assert " ".join(readable_math(raw).split()) == readable


def test_clean_text_makes_math_readable_but_keeps_urls() -> None:
    # The URL ends before `^`, and keeps its `_1`.
    assert clean_text("From 10^{3} rightarrow 10^{5}: https://github.com/a/b_1^x") == (
        "From 10³ → 10⁵: https://github.com/a/b_1^x")


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("It costs mathcal{O}(n) time.", ["mathcal"]),
        ("A bound of T^{a/b} with alpha_1", ["^{a/b}", "alpha"]),
        ("inline $x+y$ math, and \\frac left", ["$x+y$", "\\frac"]),
        ("It costs $5 and $10.", []),
        ("approx. 500 documents", []),
        ("It costs O(n) time, 10¹⁵ FLOPs and α₁.", []),
    ],
)
def test_residue(text: str, left: list[str]) -> None:
    assert residue(text) == left
