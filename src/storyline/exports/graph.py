"""The entity graph (:meth:`storyline.Storyline.entity_graph`) as GEXF 1.3 or GraphML, the files
Gephi, Cytoscape, yEd and networkx open.

Both are undirected. A node's label is the entity's canonical name; its attributes ``kind``,
``country`` (the country a country, its people or its capital stands for, when there is one),
``documents`` (documents mentioning it) and ``weight`` (events it is an actor in). An edge's
``weight`` is the number of events in which both entities are actors, its ``documents`` the
number of documents reporting such an event.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any, BinaryIO

GRAPH_FORMATS = ("gexf", "graphml")

_GEXF = "http://gexf.net/1.3"
_GRAPHML = "http://graphml.graphdrawing.org/xmlns"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: Characters XML 1.0 does not allow in a document, whatever the escaping.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_NODE_ATTRIBUTES = (("kind", "string"), ("country", "string"), ("documents", "integer"), ("weight", "integer"))


def _text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def gexf(graph: dict[str, list[dict[str, Any]]]) -> ET.ElementTree[ET.Element]:
    """The graph as a GEXF 1.3 document."""
    root = ET.Element("gexf", {"xmlns": _GEXF, "xmlns:xsi": _XSI, "version": "1.3"})
    root.set("xsi:schemaLocation", f"{_GEXF} {_GEXF}/gexf.xsd")
    meta = ET.SubElement(root, "meta", {"lastmodifieddate": datetime.now(UTC).date().isoformat()})
    ET.SubElement(meta, "creator").text = "storyline"
    ET.SubElement(meta, "description").text = "Entities linked by the events in which both are actors"
    g = ET.SubElement(root, "graph", {"defaultedgetype": "undirected", "mode": "static"})
    node_attrs = ET.SubElement(g, "attributes", {"class": "node"})
    for name, kind in _NODE_ATTRIBUTES:
        ET.SubElement(node_attrs, "attribute", {"id": name, "title": name, "type": kind})
    edge_attrs = ET.SubElement(g, "attributes", {"class": "edge"})
    ET.SubElement(edge_attrs, "attribute", {"id": "documents", "title": "documents", "type": "integer"})
    nodes = ET.SubElement(g, "nodes")
    for n in graph["nodes"]:
        node = ET.SubElement(nodes, "node", {"id": _text(n["id"]), "label": _text(n["name"])})
        values = ET.SubElement(node, "attvalues")
        for name, _ in _NODE_ATTRIBUTES:
            if n.get(name) is not None:
                ET.SubElement(values, "attvalue", {"for": name, "value": _text(n[name])})
    edges = ET.SubElement(g, "edges")
    for i, e in enumerate(graph["edges"]):
        edge = ET.SubElement(
            edges,
            "edge",
            {"id": str(i), "source": _text(e["source"]), "target": _text(e["target"]), "weight": str(e["weight"])},
        )
        values = ET.SubElement(edge, "attvalues")
        ET.SubElement(values, "attvalue", {"for": "documents", "value": str(e["documents"])})
    return ET.ElementTree(root)


def graphml(graph: dict[str, list[dict[str, Any]]]) -> ET.ElementTree[ET.Element]:
    """The graph as a GraphML document (the node label in the ``label`` key, as Gephi reads it)."""
    root = ET.Element("graphml", {"xmlns": _GRAPHML, "xmlns:xsi": _XSI})
    root.set("xsi:schemaLocation", f"{_GRAPHML} {_GRAPHML}/1.0/graphml.xsd")
    keys = [
        ("label", "node", "label", "string"), ("kind", "node", "kind", "string"),
        ("country", "node", "country", "string"), ("node_documents", "node", "documents", "int"),
        ("node_weight", "node", "weight", "int"), ("weight", "edge", "weight", "double"),
        ("edge_documents", "edge", "documents", "int"),
    ]  # fmt: skip
    for key, domain, name, kind in keys:
        ET.SubElement(root, "key", {"id": key, "for": domain, "attr.name": name, "attr.type": kind})
    g = ET.SubElement(root, "graph", {"id": "entities", "edgedefault": "undirected"})
    for n in graph["nodes"]:
        node = ET.SubElement(g, "node", {"id": _text(n["id"])})
        for key, field in (("label", "name"), ("kind", "kind"), ("country", "country"),
                           ("node_documents", "documents"), ("node_weight", "weight")):  # fmt: skip
            if n.get(field) is not None:
                ET.SubElement(node, "data", {"key": key}).text = _text(n[field])
    for i, e in enumerate(graph["edges"]):
        edge = ET.SubElement(g, "edge", {"id": f"e{i}", "source": _text(e["source"]), "target": _text(e["target"])})
        ET.SubElement(edge, "data", {"key": "weight"}).text = str(e["weight"])
        ET.SubElement(edge, "data", {"key": "edge_documents"}).text = str(e["documents"])
    return ET.ElementTree(root)


def write_gexf(graph: dict[str, list[dict[str, Any]]], out: BinaryIO | str | os.PathLike[str]) -> None:
    _write(gexf(graph), out)


def write_graphml(graph: dict[str, list[dict[str, Any]]], out: BinaryIO | str | os.PathLike[str]) -> None:
    _write(graphml(graph), out)


def write_graph(graph: dict[str, list[dict[str, Any]]], format: str, out: BinaryIO | str | os.PathLike[str]) -> None:
    """Write the graph as ``gexf`` or ``graphml`` to a file path or a binary stream (UTF-8)."""
    if format not in GRAPH_FORMATS:
        raise ValueError(f"unknown graph format {format!r}; choose one of {', '.join(GRAPH_FORMATS)}")
    (write_gexf if format == "gexf" else write_graphml)(graph, out)


def _write(tree: ET.ElementTree[ET.Element], out: BinaryIO | str | os.PathLike[str]) -> None:
    if isinstance(out, str | os.PathLike):
        with open(out, "wb") as f:
            _write(tree, f)
        return
    ET.indent(tree)
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    tree.write(out, encoding="UTF-8", xml_declaration=False)
    out.write(b"\n")
