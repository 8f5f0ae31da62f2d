"""What derive makes: the figures and blocks narrative and templates can use.

`Derived` is the one container every dataset's derive step fills (reportgen/datasets/)
and every later stage reads. A block is found by its `BlockKey`: the kind of block and
its target, as narrative writes them (`{{ table budget.income }}`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.disclosure import DisclosureControl
from reportgen.ledger import FigureLedger
from reportgen.views import Block, BlockKey, ChartSpec, TilesView


@dataclass
class Derived:
    """What narrative and templates can use: inline references and blocks."""

    references: dict[str, str] = field(default_factory=dict)
    blocks: dict[BlockKey, Block | ChartSpec] = field(default_factory=dict)
    # The disclosure policy in force and every figure it withheld (reportgen.disclosure).
    disclosure: DisclosureControl = field(default_factory=DisclosureControl)
    # Every published figure with its source, after disclosure control (reportgen.ledger).
    ledger: FigureLedger = field(default_factory=FigureLedger)
    # The "at a glance" page, built (and checked) once by the pipeline (reportgen.glance).
    glance: TilesView | None = None

    def add_block(self, kind: str, target: str, block: Block | ChartSpec) -> None:
        self.blocks[BlockKey(kind, target)] = block
