"""The catalogue of diagnostic codes: what each one means and how to fix it.

Every code reportgen can emit is listed here with its default severity. A test scans
the package and fails when a code is emitted but not catalogued, or catalogued but
never emitted; `reportgen explain CODE` prints an entry and `reportgen/docs/validation.md` is
generated from this module (`python -m reportgen.catalogue > reportgen/docs/validation.md`).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from importlib import resources

from reportgen.diagnostics import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741


@dataclass(frozen=True)
class Entry:
    """One diagnostic code."""

    code: str
    severity: Severity  # the default; report.yaml can raise it (and lower warnings)
    title: str
    explanation: str

    @property
    def family(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def lowerable(self) -> bool:
        """Only warnings and infos may be lowered: errors stop a broken or unsafe build."""
        return self.severity is not Severity.ERROR


def _entry(code: str, severity: Severity, title: str, explanation: str) -> Entry:
    return Entry(code, severity, title, textwrap.dedent(explanation).strip())


FAMILIES = {
    "config": "report.yaml and the validation settings",
    "load": "reading files",
    "yaml": "YAML syntax",
    "csv": "CSV files (and the sheets of workbooks, read the same way)",
    "xlsx": "Excel workbooks",
    "schema": "fields and types of data files",
    "table": "generic CSV tables",
    "data": "figures and records that must agree",
    "dates": "periods, dates and year labels",
    "content": "narrative and text hygiene",
    "disclosure": "small counts of children",
    "completeness": "statutory content (the completeness profile)",
    "theme": "fonts, colours and logo",
    "template": "project templates",
    "render": "rendering the outputs",
    "write": "writing the outputs",
    "collect": "combining data exports (reportgen collect)",
}

_ENTRIES = [
    # --- config ---------------------------------------------------------------------
    _entry(
        "config.not-found",
        E,
        "No report.yaml in the project folder",
        """
        reportgen looks for `report.yaml` in the folder you name (or the current folder).
        Run it in a report project, or pass the project folder as an argument.
        """,
    ),
    _entry(
        "config.unknown-kind",
        E,
        "report.yaml names a kind of document reportgen does not know",
        """
        `kind:` in report.yaml says what kind of document the project is, which decides
        the data files it may have, how it is dated and its completeness profile. Leave it
        out for an annual report (`annual-report`, the default), or use a kind
        `reportgen docs project-format` lists.
        """,
    ),
    _entry(
        "config.path-outside-project",
        E,
        "A file path leads outside the project folder",
        """
        Every file a report uses (narrative, CSV tables, logo) must be inside the project
        folder, so a build only ever reads the project. Copy the file into the project and
        use a relative path.
        """,
    ),
    _entry(
        "config.unknown-figure",
        E,
        "An at-a-glance tile names a figure that does not exist",
        """
        Each tile of `at_a_glance` in report.yaml quotes a figure, such as
        `indicator.cp_plans` or `budget.income.total`. The name must be one that narrative
        could quote (see `reportgen docs references`).
        """,
    ),
    _entry(
        "config.ons-code-missing",
        I,
        "An area has no ONS code for the open data export",
        """
        The open data export (`outputs: data:`, on by default) writes each figure with
        the ONS code of its local authority (`new_la_code`), as the DfE open data
        standards ask. Give each area of report.yaml its `ons_code` (E and 8 digits,
        Newham: E09000025), or switch the export off with `outputs: data: false`. Until
        then the export leaves the code blank, and analysts cannot join it to other data.
        """,
    ),
    _entry(
        "collect.not-an-export",
        E,
        "A path given to `reportgen collect` holds no data export",
        """
        `reportgen collect` combines the `data/` folders that `reportgen build` writes
        (each with datapackage.json and figures.json). Pass those folders, or the build
        or project folders holding them, after building each report with the data
        export on (`outputs: data:`, the default).
        """,
    ),
    _entry(
        "collect.definition-mismatch",
        E,
        "Two exports use the same name for different things",
        """
        Combined data is only comparable when an indicator id means the same thing in
        every report. An indicator published as a count in one export and as a rate or
        percentage in another (or a column whose unit differs) is reported and nothing
        is combined: give one of them another id, or correct its unit.
        """,
    ),
    _entry(
        "config.missing-label",
        E,
        "An at-a-glance tile needs a label",
        """
        Indicators bring their own label; any other figure shown as a tile needs a
        `label:` saying what it counts.
        """,
    ),
    _entry(
        "config.unknown-code",
        E,
        "validation.severity names a code that does not exist",
        """
        The `validation: severity:` map in report.yaml changes the severity of diagnostic
        codes. Each key must be a code from this catalogue (`reportgen explain` lists them).
        """,
    ),
    _entry(
        "config.severity-lowered",
        E,
        "validation.severity tries to lower an error",
        """
        A project may raise any code's severity (a warning to an error, say) and may lower
        warnings and infos. It may not lower an error: errors mean the report is wrong or
        unsafe to publish, and disclosure errors in particular can never be relaxed. To
        suppress fewer figures, change the disclosure policy with an explicit override.
        """,
    ),
    _entry(
        "config.profile-not-found",
        E,
        "The completeness profile cannot be found",
        """
        `validation: profile:` names a packaged profile (`wt2023`), a YAML file inside the
        project, or `none`. A project profile may `extends: wt2023` and add, replace or
        `drop` items.
        """,
    ),
    _entry(
        "config.disclosure-override",
        I,
        "The disclosure threshold is below the default, by recorded decision",
        """
        The report suppresses fewer small counts than reportgen's default policy (1 to 5),
        because `validation: disclosure: override:` records who agreed it, when and why.
        This is printed on every run so the decision stays visible.
        """,
    ),
    # --- load, yaml, csv --------------------------------------------------------------
    _entry(
        "load.unreadable",
        E,
        "A file cannot be read",
        "The file exists but could not be opened; check that it exists and you may read it.",
    ),
    _entry(
        "load.too-large",
        E,
        "A file is larger than reportgen accepts",
        """
        Data and narrative files have a size limit so that a mistaken export cannot
        exhaust memory. Split the data into smaller files.
        """,
    ),
    _entry(
        "load.encoding",
        E,
        "A text file is not UTF-8",
        """
        Files must be saved as UTF-8. A file saved by Windows software as Windows-1252 shows
        up here with the line of the first byte that is not UTF-8.
        """,
    ),
    _entry(
        "load.outside-project",
        E,
        "A file leads outside the project (through a link)",
        "Copy the file into the project instead of linking to it.",
    ),
    _entry(
        "load.not-a-file",
        E,
        "A path is not an ordinary file",
        "The path is a folder, pipe or device; replace it with an ordinary text file.",
    ),
    _entry(
        "load.checks-skipped",
        I,
        "Checks that use a file with errors were skipped",
        """
        A data file (or a CSV table) that has errors is reported once, where it is wrong.
        What depends on it (figures on the "at a glance" page, references and charts in
        the narrative, totals checked against it, checklist items it would satisfy) is not
        reported again as missing: this note says how many such checks waited. Fix the
        file's errors and validate again.
        """,
    ),
    _entry(
        "yaml.control-character",
        E,
        "A YAML file holds a control character",
        """
        YAML does not allow control characters such as NUL, ESC, DEL or 0x02 (they often
        come from copying out of another program). The error gives the line and column
        of the first one; delete it or retype the line.
        """,
    ),
    _entry(
        "yaml.syntax",
        E,
        "YAML syntax error",
        """
        The file is not valid YAML. The message says what is wrong in plain words, at the
        line to change: a key with no colon after it, text containing ': ' without quotes,
        a list item or key not lined up with the ones above it, a tab used for indentation,
        a quote or bracket never closed, text after a closing quote, or a value starting
        with a character YAML reserves (`@`, backtick, `%`, `*`). The hint says what to type.
        """,
    ),
    _entry(
        "yaml.comment-cut",
        W,
        "An unquoted text was cut short at ' #'",
        """
        In YAML, ` #` starts a comment, so `title: Partnership priority #1 keeping
        children safe` is only "Partnership priority". When a `#` is followed directly by a
        letter or digit it was meant as text: put the whole text in double quotes. (A real
        comment is written `# note`, with a space after the `#`.)
        """,
    ),
    _entry(
        "yaml.duplicate-key",
        E,
        "A key appears twice in one YAML mapping",
        "YAML would silently keep only the last value; remove one of them.",
    ),
    _entry(
        "yaml.anchor",
        E,
        "YAML anchors and aliases are not supported",
        "Write the values out in full, so every figure is visible where it is used.",
    ),
    _entry(
        "yaml.tag",
        E,
        "An explicit YAML tag is used",
        "Remove the '!' tag: values are typed by the schema, not by YAML.",
    ),
    _entry(
        "yaml.key",
        E,
        "A YAML key is not a plain word",
        "Keys must be plain words such as `amount:`; lists and mappings cannot be keys.",
    ),
    _entry(
        "yaml.too-deep",
        E,
        "YAML data is nested too deeply",
        "No report file needs deep nesting; the limit protects against hostile input.",
    ),
    _entry(
        "csv.encoding",
        E,
        "A CSV file is not UTF-8",
        "In Excel use 'Save As' > 'CSV UTF-8 (Comma delimited)'.",
    ),
    _entry(
        "csv.syntax",
        E,
        "CSV syntax error",
        "Usually a quote that is opened but never closed.",
    ),
    _entry("csv.empty", E, "A CSV file has no header row", "The first row must name the columns."),
    _entry(
        "csv.delimiter",
        E,
        "A CSV file is not comma-separated",
        "The header has one column; the file seems to use ';' or tabs. Export as CSV.",
    ),
    _entry("csv.blank-header", E, "A CSV column has no name", "Name every column in row 1."),
    _entry("csv.duplicate-header", E, "Two CSV columns have the same name", "Rename one."),
    _entry(
        "csv.ragged-row",
        E,
        "A CSV row has the wrong number of cells",
        "Look for a missing or extra comma, or a comma in text without quotes.",
    ),
    _entry(
        "csv.workbook",
        E,
        "An Excel workbook is given where a CSV file is expected",
        """
        The file is a workbook (.xlsx or .xls), not CSV text. Give it the .xlsx name and
        say which sheet to read (`sheet:`), or save the sheet as 'CSV UTF-8'.
        """,
    ),
    _entry(
        "xlsx.unreadable",
        E,
        "A workbook cannot be read",
        "The file is not a readable .xlsx workbook (damaged, or protected by a password).",
    ),
    _entry(
        "xlsx.sheet-not-found",
        E,
        "A workbook has no sheet of the name given",
        "Check `sheet:` against the sheet tabs; the hint lists the nearest name or all of them.",
    ),
    _entry(
        "xlsx.bad-range",
        E,
        "A range of cells is not written as Excel writes one",
        "Write the top-left and bottom-right cells, e.g. `range: A3:E12`.",
    ),
    _entry(
        "xlsx.not-a-workbook",
        W,
        "A sheet or range is given for a file that is not a workbook",
        "`sheet:` and `range:` only apply to .xlsx workbooks; they are ignored for a CSV file.",
    ),
    _entry(
        "schema.lines-twice",
        E,
        "Budget lines are both typed and read from a spreadsheet",
        "Keep the lines in one place: delete `lines`, or delete `lines_from`.",
    ),
    _entry(
        "csv.title-row",
        I,
        "A title row above a table's header was skipped",
        """
        A row with one filled cell above the first row of several (the header) is read as
        the sheet's title and skipped. Nothing needs doing.
        """,
    ),
    _entry(
        "csv.note-row",
        I,
        "A note row under a table was skipped",
        """
        A row with one filled cell under the data, set apart by a blank row, a start such
        as 'Note', 'Source', '*' or '¹', or its length, is read as a footnote and skipped
        (it is not a row of missing figures). Put the note in the YAML `note:` to print it.
        """,
    ),
    _entry(
        "csv.blank-row",
        E,
        "An empty row inside a table",
        """
        An empty row between the header and the last row of data would split the table;
        delete it, or fill it in if a row of figures is missing.
        """,
    ),
    _entry(
        "csv.trailing-blank-rows",
        I,
        "Empty rows after a table were skipped",
        "Spreadsheets often export empty rows after the data; they are skipped.",
    ),
    _entry(
        "csv.header-case",
        I,
        "CSV column names were read without regard to capitals and spaces",
        """
        A spreadsheet heading such as `Course` or `Organisation type` is read as the
        column `course` / `organisation_type`. Nothing needs doing; the note says how
        each heading was read so you can write them that way and silence it.
        """,
    ),
    _entry(
        "csv.missing-column",
        E,
        "A required CSV column is missing",
        "The header row must include every required column of the table's schema.",
    ),
    _entry(
        "csv.unknown-column",
        E,
        "A CSV column is not part of the table's schema",
        "Check the spelling of the column name (the message suggests the nearest one).",
    ),
    _entry(
        "csv.invalid-cell",
        E,
        "A CSV cell has the wrong type or is empty",
        "The cell must hold the kind of value its column needs, e.g. a whole number.",
    ),
    # --- schema ------------------------------------------------------------------------
    _entry(
        "schema.unknown-key",
        E,
        "A key is not part of the file's schema",
        """
        Schemas are strict so that a misspelt key is caught instead of silently ignored.
        The message suggests the nearest allowed key; `reportgen docs project-format` lists
        them all.
        """,
    ),
    _entry("schema.missing", E, "A required field is missing", "Add the field."),
    _entry(
        "schema.invalid",
        E,
        "A field has the wrong type or value",
        """
        For example text where a number is needed, a date not written as YYYY-MM-DD, a
        year label that is not two consecutive years, or a number with thousands
        separators in the wrong places.
        """,
    ),
    _entry(
        "schema.empty-file",
        E,
        "A data file is empty",
        "Fill it in, or delete it if the report does not use it.",
    ),
    # --- table ---------------------------------------------------------------------------
    _entry(
        "table.shape",
        E,
        "A CSV table has no columns of figures",
        "A generic table needs a label column and at least one column of counts.",
    ),
    _entry(
        "table.not-a-count",
        E,
        "A cell of a CSV table is not a whole number",
        "Write counts as whole numbers and leave no cell blank (use 0).",
    ),
    # --- data ------------------------------------------------------------------------------
    _entry(
        "data.file-not-found",
        E,
        "A data file named in another file does not exist",
        "Check the path; it is relative to the project folder.",
    ),
    _entry(
        "data.duplicate-id",
        E,
        "Two records share an id",
        "Ids are how narrative and other records refer to a record; give each its own.",
    ),
    _entry(
        "data.unknown-reference",
        E,
        "A record refers to an id that does not exist",
        "A group, comparator, area or indicator id is misspelt or not defined.",
    ),
    _entry(
        "data.date-order",
        E,
        "An end date is before its start date",
        "Check both dates.",
    ),
    _entry(
        "data.grading-empty",
        E,
        "An audit grade has neither cases nor a percentage",
        "Give `cases:` (preferred) or `percent:`.",
    ),
    _entry(
        "data.percent-range",
        E,
        "A percentage is outside 0 to 100",
        "A figure with unit `percent` must run from 0 to 100.",
    ),
    _entry(
        "data.total-mismatch",
        E,
        "A typed total is not the sum of its parts",
        """
        Totals are computed by reportgen. A total you type (copied from a spreadsheet, say)
        is kept only to be checked, and it must equal the sum of its lines: income and
        expenditure lines, training courses, rows and columns of CSV tables (including the
        grand total), audit grades against cases audited, and indicators listed as the
        `parts` of another. Percentages and rates may differ by rounding.
        """,
    ),
    _entry(
        "data.shares-not-100",
        E,
        "Shares of one whole do not add up to 100%",
        """
        Audit grade shares, and the percentages of an indicator group marked `shares: true`
        (boys and girls, say), are parts of one whole. Published shares are rounded, so a
        total within a point or so of 100 is accepted.
        """,
    ),
    _entry(
        "data.percent-impossible",
        E,
        "A percentage that no whole number of cases could give",
        """
        A share of a small number of cases can only take a few values: of 10 cases, 0%,
        10%, 20% and so on. A grade typed as 33% of 10 cases cannot be right. The check
        allows for rounding to the precision the percentage is written with.
        """,
    ),
    _entry(
        "data.percent-mismatch",
        E,
        "A percentage does not match the counts it comes from",
        """
        An indicator with `unit: percent`, `count:` and `of:` must equal count / of x 100,
        rounded to the precision it is typed with.
        """,
    ),
    _entry(
        "data.rate-mismatch",
        E,
        "A rate per 10,000 does not match its count and the child population",
        """
        When an indicator with `unit: rate_per_10k` names the count it comes from
        (`count:`) and the area's `child_population` is set in report.yaml, the rate must
        be count x 10,000 / population, allowing for rounding.
        """,
    ),
    _entry(
        "data.rate-population",
        W,
        "Rates per 10,000 imply different child populations",
        """
        Rates of one area at one date must use one child population. Working back from each
        rate and its count gives the population each one used; when they cannot all be the
        same (allowing for rounding), at least one rate or count is wrong, or the rates use
        different populations. Set `child_population` for the area to check each rate.
        """,
    ),
    _entry(
        "data.wrong-unit",
        E,
        "A figure is linked to one of the wrong kind",
        """
        `count:` and `of:` must name indicators with `unit: count`, and `parts` must have
        the same unit as the total they add up to.
        """,
    ),
    _entry(
        "data.overspend-unexplained",
        W,
        "Spending is more than the money available, and the report does not say how",
        """
        Year-end spend is more than this year's income plus reserves used and any balance
        brought forward. Record how the difference was met (`reserves_used`,
        `income.brought_forward`) or explain it in `expenditure.variance_note`.
        """,
    ),
    _entry(
        "data.duplicate-person",
        W,
        "The same person appears twice in one group",
        """
        Two members of one group have the same name, or names that differ only in spelling,
        hyphens or capitals (e.g. "Stephens-Row" and "Stephens Row"). List each person once
        and use `start:`/`end:` for a change during the year.
        """,
    ),
    _entry(
        "data.duplicate-entry",
        W,
        "The same entry appears twice in a list",
        """
        Two entries of one list have the same title or text, such as one inspection or one
        learning event recorded twice. Keep one.
        """,
    ),
    # --- dates ------------------------------------------------------------------------------
    _entry(
        "dates.outside-period",
        W,
        "A dated item falls outside the report period",
        """
        Events, audits, reviews, inspections, meetings and snapshot dates should fall inside
        the year the report covers. When an earlier or later item is used on purpose, say
        so with `timing: prior`, `comparator` or `forward` on the record. Months written in
        a title, such as "(March 2024)", count as dates.
        """,
    ),
    _entry(
        "dates.wrong-year",
        W,
        "A data file or figure is labelled with another year",
        """
        The budget's `year`, an indicator's `period` and next year's plan must match the
        report period (or the year after it, for the plan). A snapshot from the wrong year
        is a common copy-and-paste error.
        """,
    ),
    _entry(
        "dates.stale-heading",
        W,
        "A heading or title names the wrong year",
        """
        A looking-ahead heading ("Focus for ...", "Plans for ...", "Looking ahead to ...")
        must name the year after the report period, and a title must not name a year before
        it (last year's heading left in). Quote `{{ period.next }}` and
        `{{ period.label }}` instead of typing years.
        """,
    ),
    _entry(
        "dates.stale-year",
        W,
        "This year's activity is described with a year two or more years old",
        """
        A sentence about this year mentions work "for" a year two or more years before the
        report period, which suggests text carried over from an older report.
        """,
    ),
    _entry(
        "dates.future-tense",
        W,
        "Future tense about a date that has already passed",
        """
        The sentence says something "will" happen (or is planned or expected) at a date
        inside or before the report period. By publication that date has passed: say what
        happened instead.
        """,
    ),
    # --- content ---------------------------------------------------------------------------
    _entry(
        "content.file-not-found",
        E,
        "A section's narrative file does not exist",
        "Create the Markdown file or correct the path in report.yaml.",
    ),
    _entry(
        "content.unresolved-reference",
        E,
        "A {{ reference }} in narrative does not match any data",
        "See `reportgen docs references` for the names that can be quoted; the hint suggests one.",
    ),
    _entry(
        "content.unknown-block",
        E,
        "A {{ table/chart/tiles/list/cards ... }} block does not exist",
        "See `reportgen docs references` for the blocks each data file provides.",
    ),
    _entry(
        "content.block-inline",
        E,
        "A block is placed inside a sentence",
        "Tables, charts, tiles, lists and cards must stand on a line of their own.",
    ),
    _entry(
        "content.heading-level",
        E,
        "A section file uses a top-level heading",
        "The section title comes from report.yaml; headings in a section file start at ##.",
    ),
    _entry(
        "content.heading-skip",
        E,
        "A heading skips a level",
        "Screen-reader users navigate by heading level; go down one level at a time.",
    ),
    _entry(
        "content.unsafe-link",
        E,
        "A link uses an address that is not allowed",
        """
        Links may go to web pages (https://), e-mail addresses (mailto:), telephone numbers
        (tel:) or files inside the project; anything else (javascript:, an empty address)
        is refused.
        """,
    ),
    _entry(
        "content.link-outside-project",
        E,
        "A link leads to a file outside the project",
        "Link only to files inside the project folder, or to a web page.",
    ),
    _entry(
        "content.remote-image",
        E,
        "An image is on the web, not in the project",
        "Save the image inside the project and give its relative path; builds never fetch.",
    ),
    _entry(
        "content.unsafe-image",
        E,
        "An image address is not a file",
        "Images must be files inside the project folder, given by a relative path.",
    ),
    _entry(
        "content.image-outside-project",
        E,
        "An image is outside the project folder",
        "Copy the image into the project folder.",
    ),
    _entry(
        "content.image-not-found",
        E,
        "An image file does not exist",
        "Check the path; it is relative to the project folder.",
    ),
    _entry(
        "content.image-type",
        E,
        "An image is not a PNG, JPEG, GIF or WebP file",
        "Save the image as PNG or JPEG (the file's content is checked, not its name).",
    ),
    _entry(
        "content.placeholder",
        W,
        "A placeholder was never filled in",
        """
        TBC, TBD, TODO, XX, "link here", "insert ...", "[...]" and the like mark text that
        was never finished. Replace them with the real text or figure.
        """,
    ),
    _entry(
        "content.drafting-note",
        W,
        "An internal note or drafting aside is left in the text",
        """
        All-capital remarks that read like notes to colleagues ("SHE NEVER COMES") and
        bracketed asides with informal words ("(basically there is no timeframe for
        this)", "(this should either be ... or be removed)") must not be published.
        """,
    ),
    _entry(
        "content.unfinished-sentence",
        W,
        "A paragraph ends in the middle of a sentence",
        """
        The paragraph ends with a word such as "at", "the" or "and" and no full stop, as
        in "We have looked at". Finish the sentence or remove it.
        """,
    ),
    _entry(
        "content.empty-text",
        W,
        "A paragraph or list item has no words",
        """
        A paragraph of only punctuation (".") or an empty bullet is usually debris from a
        word processor.
        """,
    ),
    _entry(
        "content.empty-label",
        W,
        "A label has no value",
        """
        Labels such as "GLD: KS2: KS4:" with nothing after them, or a field whose whole
        text is a label ending in ':', are figures that were never filled in.
        """,
    ),
    _entry(
        "content.repeated-text",
        W,
        "The same paragraph or entry appears twice",
        "A repeated paragraph is usually a copy-and-paste slip; keep one.",
    ),
    _entry(
        "content.duplicate-heading",
        W,
        "The same heading appears twice in one section",
        "Two headings with the same text in one section; merge or rename them.",
    ),
    _entry(
        "content.repeated-plan",
        W,
        "Next year's plan repeats this year's (or last year's) word for word",
        """
        An action for next year has the same words as something already reported as done
        this year, or as last year's plan (`last_year_plan` in priorities.yaml). Say what
        will be different, or report why it was not done.
        """,
    ),
    _entry(
        "content.name-mismatch",
        W,
        "A person's name is spelt differently from the member list",
        """
        Narrative or data text names a member with a different spelling, hyphen or
        capitals ("Julia Stephens Row" for "Julia Stephens-Row"). Use the spelling in
        governance.yaml.
        """,
    ),
    _entry(
        "content.unknown-group",
        W,
        "Narrative names a subgroup that is not in governance.yaml",
        """
        A subgroup named in text must match a group in governance.yaml, so one group is not
        called by two names ("Learning and Workforce Development Subgroup" and
        "subgroup for Safeguarding and Workforce Development").
        """,
    ),
    _entry(
        "content.broken-link",
        E,
        "An internal link points at nothing",
        """
        A link to `#id` must name a section id from report.yaml, a heading in the report
        or a block; a link with no target, or to a file that does not exist, is broken.
        """,
    ),
    _entry(
        "content.missing-alt",
        E,
        "An image has no text alternative",
        """
        Write `![what the image shows](file.png)`. Charts get a text alternative generated
        from their figures; images need one written.
        """,
    ),
    _entry(
        "content.malformed-reference",
        E,
        "Text looks like a reference to data but is not one",
        """
        `{{ }}`, an unclosed `{{ indicator.x`, `{{{ x }}}` or `{{x}` would be published as
        written. Write a reference as `{{ name }}` or `{{ table name }}`; to show braces
        as text, write `\\{{` or put them in backticks.
        """,
    ),
    _entry(
        "content.chart-without-data",
        E,
        "A chart's data has no rows or no figures",
        """
        The table or list a chart is drawn from has no categories (a CSV cut short after
        its header, say) or no series, so there is no chart to draw. Fix the data or
        leave the chart out.
        """,
    ),
    _entry(
        "content.empty-chart",
        W,
        "A chart has nothing to draw",
        """
        Every value of the chart is missing or suppressed, so its text alternative and
        data table say nothing. Use a table or leave the chart out.
        """,
    ),
    _entry(
        "content.percent-impossible",
        W,
        "A percentage in text that no whole number of cases could give",
        """
        A record's text gives a share of its cases (e.g. "56% of cases" in a review of
        seven children), but no whole number of those cases rounds to it: 4 of 7 is 57%.
        """,
    ),
    _entry(
        "content.points-vs-percent",
        W,
        "A change between two percentages is written as a per cent change",
        """
        A percentage that moves from 30% to 35% has risen by 5 percentage points (or by
        17%), not by 5%. Quote `{{ indicator.ID.difference }}`, which says "points".
        """,
    ),
    _entry(
        "content.change-without-prior",
        W,
        "A change is claimed for a figure with no previous value",
        """
        The sentence says a figure rose or fell ("more than the year before") but the
        indicator has no `prior:` value, so the reader cannot see the change. Add the
        previous figure or drop the claim.
        """,
    ),
    # --- disclosure --------------------------------------------------------------------------
    _entry(
        "disclosure.policy-loosened",
        E,
        "The disclosure threshold is below the default without a recorded override",
        """
        The default policy suppresses counts of children from 1 to 5. A lower threshold
        needs `validation: disclosure: override:` with a reason, who approved it and when.
        """,
    ),
    _entry(
        "disclosure.count-in-text",
        E,
        "A small count of children is written out in text",
        """
        Text such as "3 children" or "three infant deaths" publishes a count the disclosure
        policy would suppress in a table. Quote the figure with a `{{ reference }}` (which
        the policy controls) or write "a small number of".
        """,
    ),
    _entry(
        "disclosure.legend-missing",
        E,
        "Figures are suppressed but the report does not explain the symbol",
        """
        Tables with suppressed cells explain the symbol in their note, but tiles, charts and
        sentences do not. Quote `{{ disclosure.legend }}` once in the narrative (for example
        in "About this report").
        """,
    ),
    # --- completeness ---------------------------------------------------------------------
    _entry(
        "completeness.missing-required",
        W,
        "The report lacks something the guidance says it must contain",
        """
        An item the completeness profile marks `must` has no evidence in the data or the
        narrative. `reportgen validate` prints the whole checklist with what satisfies each
        item and what is missing.
        """,
    ),
    _entry(
        "completeness.missing-recommended",
        I,
        "The report lacks something the guidance says it should contain",
        "An item the completeness profile marks `should` has no evidence.",
    ),
    # --- theme and render --------------------------------------------------------------------
    _entry(
        "theme.font-not-found",
        E,
        "The report's font is not available",
        "List the font's .ttf or .otf files under `theme: font_files`, or use the default.",
    ),
    _entry(
        "theme.font-unreadable",
        E,
        "A font file cannot be read",
        "Give TrueType (.ttf) or OpenType (.otf) files; convert web fonts first.",
    ),
    _entry(
        "theme.font-mismatch",
        E,
        "A font file is of another typeface",
        "Every file in `font_files` must be a face of the `font` named in the theme.",
    ),
    _entry(
        "theme.low-contrast",
        W,
        "A theme colour has too little contrast",
        "Text and chart colours need enough contrast against white to be read.",
    ),
    _entry(
        "theme.logo-not-found",
        E,
        "The logo file does not exist",
        "Check the path; it is relative to the project folder.",
    ),
    _entry(
        "theme.logo-unreadable",
        E,
        "The logo is not an image reportgen can embed",
        "Use a PNG, JPEG or SVG file.",
    ),
    _entry(
        "template.syntax",
        E,
        "A project template has a syntax error",
        "Check that every {% tag %} is closed and spelled as in Jinja.",
    ),
    _entry(
        "template.undefined",
        E,
        "A project template uses a name that does not exist",
        "Check the name against the view models documented for templates.",
    ),
    _entry(
        "template.refused",
        E,
        "A project template tried something the sandbox does not allow",
        "Templates may format the data they are given, nothing else.",
    ),
    _entry(
        "template.resource",
        E,
        "A project template refers to a file or address the report does not provide",
        "A template may use only what the report provides: images, fonts and the logo "
        "declared in report.yaml arrive in the view models as data: URIs. Literal "
        "addresses in a template (src=, href= on anything but a link, url(), @import, "
        "rel=attachment) may only be data: URIs or #ids; links (<a href>) may also go to "
        "web, mail and telephone addresses.",
    ),
    _entry(
        "template.not-found",
        E,
        "A template does not exist",
        "Names are relative to templates/ and cannot contain '..'; use default:NAME for a "
        "packaged template.",
    ),
    _entry(
        "template.runaway",
        E,
        "A template runs for too long or calls itself without end",
        "Look for a macro or include that calls itself, or a loop that does not end.",
    ),
    _entry(
        "template.too-large",
        E,
        "A template builds a value that is too large",
        "Templates format the report's data; they may not build huge strings or ranges.",
    ),
    _entry(
        "template.error",
        E,
        "A project template failed",
        "Check the expression on the line given.",
    ),
    _entry(
        "template.outside",
        E,
        "A template leads outside the templates folder",
        "Copy the template into the project's templates/ folder instead of linking to it.",
    ),
    _entry(
        "template.encoding",
        E,
        "A template is not UTF-8",
        "Save the template as UTF-8 in your editor.",
    ),
    _entry(
        "write.busy",
        E,
        "Another build is writing into the same folder",
        "Wait for the other build to finish, then try again.",
    ),
    _entry(
        "write.bad-output-folder",
        E,
        "The output folder cannot be used",
        "Choose an output folder of its own, such as PROJECT/build.",
    ),
    _entry(
        "write.failed",
        E,
        "The outputs could not be written",
        "The previous outputs are unchanged; check free space and permissions.",
    ),
    _entry(
        "render.pdf-engine-missing",
        E,
        "The PDF engine's system libraries are missing",
        """
        WeasyPrint, which makes the PDF, needs Pango, HarfBuzz and fontconfig from the
        operating system. Without them reportgen still writes the HTML and exits with 1.
        On Debian or Ubuntu run `sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0
        libharfbuzz0b libharfbuzz-subset0 libfontconfig1` (or `make build`, which does
        it); on Windows or macOS follow WeasyPrint's installation guide, or build with
        `--html-only`.
        """,
    ),
    _entry(
        "render.resource-refused",
        E,
        "The report asks the PDF engine for a file or address the report does not provide",
        "The PDF engine serves only the report's own data: URIs and charts. An address a "
        "template builds in an expression is refused and reported at the template line "
        "that holds it; builds never read files for the PDF or reach the network.",
    ),
]

CATALOGUE: dict[str, Entry] = {entry.code: entry for entry in _ENTRIES}


def lookup(code: str) -> Entry | None:
    return CATALOGUE.get(code)


def explain(code: str) -> str:
    """The text `reportgen explain CODE` prints."""
    entry = CATALOGUE[code]
    lines = [f"{entry.code} ({entry.severity.value}): {entry.title}", ""]
    lines += textwrap.wrap(" ".join(entry.explanation.split()), 88)
    lines.append("")
    if entry.code.startswith("disclosure."):
        lines.append("Severity: error; disclosure codes can never be lowered.")
    elif entry.lowerable:
        lines.append(
            f"Default severity: {entry.severity.value}. Change it in report.yaml with "
            f"validation: severity: {{{entry.code}: error}}."
        )
    else:
        lines.append("Default severity: error. A project can raise codes, not lower errors.")
    return "\n".join(lines)


def listing() -> str:
    """One line per code, for `reportgen explain` without a code."""
    width = max(len(code) for code in CATALOGUE)
    return "\n".join(
        f"{e.code:<{width}}  {e.severity.value:<7}  {e.title}" for e in CATALOGUE.values()
    )


_INTRO = """\
# Validation

<!-- Generated by `python -m reportgen.catalogue` from reportgen/catalogue.py and
reportgen/profiles/wt2023.yaml; a test fails when this file is out of date. -->

`reportgen validate` is the check a partnership business manager runs before anything is
published, and the gate a CI pipeline relies on. It reads every file, runs every check,
and reports every problem in one run; a build runs the same checks first and writes
nothing while there are errors.

## Running it

```sh
reportgen validate [PROJECT] [--strict] [--format text|json|github]
reportgen explain [CODE]      # what a code means; without CODE, every code
```

- **text** (the default): one line per problem in compiler form
  (`data/budget.yaml:21:10: error[data.total-mismatch]: ...`, with a hint), then the
  completeness checklist, then what the disclosure policy withholds, then a summary by
  file and by code.
- **json**: one document on standard output: `diagnostics` (code, severity, message,
  hint, location with path, line, column, CSV row and field), `summary` (counts, and
  counts `by_file` and `by_code`), `checklist` (profile and items with status, what was
  found and what is missing) and `disclosure` (threshold, symbol, and each withheld
  figure's location and reason, never its value).
- **github**: GitHub Actions workflow commands, one per problem
  (`::error file=data/budget.yaml,line=21,col=10,title=data.total-mismatch::...`), so
  problems show on the pull request's changed lines. Paths are relative to where
  reportgen runs.

`--strict` turns every warning into an error. Exit codes: **0** no errors (warnings and
infos allowed, unless `--strict`); **1** the project has errors; **2** an internal error
in reportgen (the traceback is saved to a file, without report data) or a command-line
usage error; **130** interrupted. `reportgen explain` exits 1 for an unknown code.

Severities: an **error** stops the build; a **warning** is a likely mistake a person
should look at (it fails only under `--strict`); an **info** is printed for the record.

## Settings in report.yaml

```yaml
validation:
  profile: wt2023              # or a YAML file in the project, or none
  severity:                    # raise a code's severity (or lower a warning)
    content.placeholder: error
  disclosure:
    threshold: 5               # counts of children from 1 to 5 are shown as the symbol
    symbol: c
    # override: {reason: ..., approved_by: ..., date: 2025-06-01}   # only to go below 5
```

A project can raise any code's severity and lower warnings and infos; errors can never be
lowered (`config.severity-lowered`), and an unknown code is an error too.

## Disclosure control

Small counts can identify children. The policy replaces every count of children from 1 up
to the threshold (default 5; 0 is shown) with the symbol (default `c`). It is applied in
one place, when figures are derived, so tables, charts (their bars, labels, data tables
and text alternatives), tiles, the "at a glance" page and inline `{{ references }}` all
show the same thing; a change against last year (`.difference`) is withheld with it.

- **What counts as children.** Generic CSV tables (`data/tables.yaml`, such as child
  death tables) and indicators with `unit: count` are counts of children unless the table,
  the indicator group or the indicator says `disclosure: none` (residents, staff, sessions,
  allegations about adults). Serious incident notifications and the children covered by a
  review always are. Money, training, attendance, reach and audit samples are not.
- **Secondary suppression.** A suppressed cell must not be recoverable from a total and the
  other cells. Every row and column of a table with its total, and every indicator with
  the `parts` it adds up to, is a line; where a line would have exactly one unknown, the
  smallest other non-zero figure of the line is withheld too, until no line has exactly one.
- **Legend.** Tables with withheld cells explain the symbol in their note; the narrative
  must quote `{{ disclosure.legend }}` once (`disclosure.legend-missing`).
- **Text.** A small count typed into prose ("3 children", "three infant deaths") is an
  error (`disclosure.count-in-text`): quote the figure so the policy applies.
- **Tightening and loosening.** A higher threshold suppresses more. A threshold below the
  default is an error unless `override` records the reason, who approved it and when; the
  override is then reported on every run (`config.disclosure-override`).
- `reportgen validate` lists every figure it will withhold, with its file and line and
  why (a small count, or secondary), never the value.

"""


def _profile_markdown() -> str:
    import yaml

    from reportgen.model.profile import Profile

    text = resources.files("reportgen").joinpath("profiles/wt2023.yaml").read_text("utf-8")
    profile = Profile.model_validate(yaml.safe_load(text))
    lines = [
        "## Completeness profile",
        "",
        f"The packaged profile `{profile.id}` ({profile.title}) lists what the yearly report "
        "must and should contain. `validate` prints it as a checklist: each item is **met**, "
        "**partly** met or **missing**, pointing at the file and line (or section) that "
        "satisfies it, or saying what to add. Data counts only when the narrative places it "
        "(e.g. `{{ table feedback }}`). A missing `must` item is a warning "
        "(`completeness.missing-required`), a missing `should` item an info.",
        "",
        "A project selects a profile with `validation: profile:`. Its own profile is a YAML "
        "file in the project with `id`, `title`, `extends: wt2023`, `drop: [ids]` and `items` "
        "(an item with an existing id replaces it). The fields are those of "
        "`reportgen/model/profile.py`.",
        "",
        "| item | requirement | what the report contains | evidence |",
        "|---|---|---|---|",
    ]
    for item in profile.items:
        evidence = "; ".join(e.label for e in item.evidence)
        lines.append(
            f"| `{item.id}` | {item.requirement.value} | **{item.title}.** "
            f"{item.description} | {evidence} |"
        )
    return "\n".join(lines) + "\n"


def validation_markdown() -> str:
    """The whole of reportgen/docs/validation.md."""
    parts = [_INTRO, _profile_markdown(), "", "## Diagnostic codes", ""]
    parts.append(
        "Every code with its default severity. `reportgen explain CODE` prints the same "
        "explanation."
    )
    parts.append("")
    for family, about in FAMILIES.items():
        entries = [e for e in CATALOGUE.values() if e.family == family]
        if not entries:
            continue
        parts += [f"### `{family}.*`: {about}", ""]
        for e in entries:
            explanation = " ".join(e.explanation.split())
            parts.append(f"- **`{e.code}`** ({e.severity.value}): {e.title}. {explanation}")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def main() -> None:
    """Print reportgen/docs/validation.md."""
    import sys

    sys.stdout.write(validation_markdown())


if __name__ == "__main__":
    main()
