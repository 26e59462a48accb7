"""Typed records that flow through storyline. Standard library only, no I/O."""

from storyline.model.article import Article, ContentKind, SourceFields
from storyline.model.document import (
    DateSource,
    Document,
    Duplicate,
    Granularity,
    PublishedDate,
    content_id,
)

__all__ = [
    "Article",
    "ContentKind",
    "DateSource",
    "Document",
    "Duplicate",
    "Granularity",
    "PublishedDate",
    "SourceFields",
    "content_id",
]
from storyline.model.serialize import EXPORT_FIELDS, document_from_dict, document_to_dict

__all__ += ["EXPORT_FIELDS", "document_from_dict", "document_to_dict"]
