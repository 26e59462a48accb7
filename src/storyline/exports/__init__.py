"""Exports: the store's tables (documents, entities, events) as JSON Lines, CSV or Parquet (one
file, or a dataset partitioned by publication month), a GDELT-style event table, the entity graph
as GEXF or GraphML, and pandas DataFrames.

:class:`storyline.Storyline` calls these; pyarrow and pandas are imported only by the functions
that need them.
"""

from storyline.exports.gdelt import GDELT_FIELDS, gdelt_rows, write_gdelt
from storyline.exports.graph import GRAPH_FORMATS, write_gexf, write_graph, write_graphml
from storyline.exports.tables import (
    DOCUMENT_FIELDS,
    ENTITY_FIELDS,
    EVENT_FIELDS,
    PARTITIONS,
    TABLE_FORMATS,
    TABLES,
    date_granularity,
    entity_row,
    event_row,
    frame,
    publication_month,
    write_partitioned,
    write_table,
)

__all__ = [
    "DOCUMENT_FIELDS",
    "ENTITY_FIELDS",
    "EVENT_FIELDS",
    "GDELT_FIELDS",
    "GRAPH_FORMATS",
    "PARTITIONS",
    "TABLES",
    "TABLE_FORMATS",
    "date_granularity",
    "entity_row",
    "event_row",
    "frame",
    "gdelt_rows",
    "publication_month",
    "write_gdelt",
    "write_gexf",
    "write_graph",
    "write_graphml",
    "write_partitioned",
    "write_table",
]
