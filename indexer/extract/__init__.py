"""Extractors: what a reindex reads out of each document besides its chunks.

An extractor has a `kind` (the name its records are stored under), a `version` (bumped when
what it reads changes: the next reindex then runs it again over every indexed document, from
the stored text, without re-embedding anything) and `extract(document)`, which returns records
with a span of the document's stored text and their fields. The store keeps them with the
document, incrementally and atomically like the chunks. A new kind of record is one module
with an extractor, added to EXTRACTORS.
"""
from __future__ import annotations

from .base import ExtractedDocument, Extractor, paragraphs, versions
from .marking import MarkingExtractor
from .references import ReferenceExtractor
from .sections import SectionExtractor
from .tasks import TaskExtractor

__all__ = ["EXTRACTORS", "ExtractedDocument", "Extractor", "paragraphs", "versions"]

EXTRACTORS: tuple[Extractor, ...] = (SectionExtractor(), ReferenceExtractor(), TaskExtractor(),
                                      MarkingExtractor())
