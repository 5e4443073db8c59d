"""Stands in, in this test root, for the edition's paragraph numbering: ids p-1, p-2, …"""

from docutils import nodes
from sphinx.transforms import SphinxTransform


class Number(SphinxTransform):
    default_priority = 100

    def apply(self, **kwargs):
        if self.env.docname != "text":
            return
        paragraphs = [p for p in self.document.findall(nodes.paragraph) if isinstance(p.parent, nodes.section)]
        for number, p in enumerate(paragraphs, start=1):
            p["ids"].append(f"p-{number}")


def setup(app):
    app.add_transform(Number)
