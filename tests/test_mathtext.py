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
        # `times` glued to a number is ×; beside a letter it may be a word, and stays.
        ("ImageNet 64times64 and 16times16 descriptors", "ImageNet 64×64 and 16×16 descriptors"),
        ("a Cerebras 16times CS-2 cluster, 3times, faster", "a Cerebras 16× CS-2 cluster, 3×, faster"),
        ("100 times, despite T times J neurons", "100 times, despite T times J neurons"),
        ("R^2AG and E^2-LLM and NLVR^2", "R²AG and E²-LLM and NLVR²"),
        ("the (K+1)^{th} token", "the (K+1)th token"),
        ("a O(K T^{3/4}) regret", "a O(K T^(3/4)) regret"),
        ("where L^* is", "where L* is"),
        ("ReST^EM", "ReST^EM"),  # a name, not math
        # Subscripts: digits only, after a one-letter symbol; names and decimals stay.
        ("weights W_1 and x_{12}", "weights W₁ and x₁₂"),
        ("AntLM_{BabyLlama} and n_TOF and F_0.5 and bert_base_1", "AntLM_{BabyLlama} and n_TOF and F_0.5 and bert_base_1"),
        # A braced subscript of several characters reads like a superscript, except in the
        # names their authors write with braces (NAMES_WITH_BRACES).
        ("layer AB_{12} of C_{Phi circ Psi}", "layer AB₁₂ of C_(Φ∘Ψ)"),
        ("AntLM_{LTG-BERT} beats Model_{ViT-B}", "AntLM_{LTG-BERT} beats Model_(ViT-B)"),
        # A capitalized name glued to braces lost its `_`; braces around a lone word go.
        ("systems including Wukong{ViT-B} and Other{ViT-L}", "systems including Wukong_{ViT-B} and Other_(ViT-L)"),
        ('In our "{SkillNet}" model', 'In our "SkillNet" model'),
        ("a hat{y} and {0,1}^n", "a hat{y} and {0,1}ⁿ"),
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
        ("when m gg n and C_{Phicirc Psi}", "when m ≫ n and C_(Φ∘Ψ)"),
        # The same composition reads the same, however the listing spaced it.
        ("of mathcal{O}(mathcal{C_{Phi circ Psi}/n}) when C_{Phicirc Psi} > C_Psi",
         "of O(C_(Φ∘Ψ)/n) when C_(Φ∘Ψ) > C_Ψ"),
        ("f circ g and fcirc g", "f∘g and f∘g"),
        # A Greek name that replaces a letter in a quoted example.
        ("strings ('ergo' rightarrow 'epsilonrgo') which", "strings ('ergo' → 'ϵrgo') which"),
        ("('alpha' → 'beta')", "('alpha' → 'β')"),
        # LaTeX quotes, however opened: `` and '' give typographic quotes, and a straight " a
        # straight pair, like the authors' other quotations.
        ("a ``chain-of-thought'' (CoT) prompt", "a “chain-of-thought” (CoT) prompt"),
        ("under a mild ''informative'' condition", "under a mild “informative” condition"),
        ('(i.e. if "A is B\'\' occurs, "B is A" is', '(i.e. if "A is B" occurs, "B is A" is'),
        ("BERToids' Representations, 'alignment' and models'", "BERToids' Representations, 'alignment' and models'"),
        ("the Delta airline and alpha version", "the Delta airline and alpha version"),
        # A LaTeX comment to the end of its sentence; a footnote mark, but not its footnote:
        # those are the authors' words.
        ("models. %Code will be made publicly available. Code is at", "models. Code is at"),
        ("the data. dagger This work was done at Huawei. In this paper",
         "the data. This work was done at Huawei. In this paper"),
        ("ddagger Equal contribution. We study", "Equal contribution. We study"),
        ("Author^dagger wrote", "Author wrote"),
        ("Author^{dagger} wrote", "Author wrote"),
        ("a dagger and a cloak", "a dagger and a cloak"),
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
        # The shapes of issue 18, as an older import left them, and as they read now.
        ("ImageNet 64times64, 16times CS-2 and 3times, but 100 times", ["64times", "16times", "3times"]),
        ("a mild ''informative'' condition; if \"A is B'' occurs; a ``b", ["''", "''", "''", "``"]),
        ("O(C_{Φ ∘ Ψ}/n) and C_{Φ∘ Ψ} > C_Ψ", ["C_{Φ ∘ Ψ}", "C_{Φ∘ Ψ}"]),
        ("('ergo' → 'epsilonrgo')", ["epsilonrgo"]),
        ('Wukong{ViT-B} and our "{SkillNet}" model', ["Wukong{ViT-B}", "{SkillNet}"]),
        ("AntLM_{BabyLlama}, AntLM_{LTG-BERT} and Wukong_{ViT-B}", []),
        ("64×64, 3×, “informative”, O(C_(Φ∘Ψ)/n), 'ϵrgo', \"SkillNet\", {0, 1}^n", []),
    ],
)
def test_residue(text: str, left: list[str]) -> None:
    assert residue(text) == left
