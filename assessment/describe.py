"""How a scorecard reads: values and targets as people write them, the advice on a card, the
chat text a contact gets, and the .xlsx the secretaries' assessment uses."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from assessment.scorecard import Card, Line, Ranked, Rule
from content import assessment_texts as texts

UNITS = {"reflections": "篇/人", "lectures": "场", "ratings": "分"}


def shown(measure: str, value: float | None) -> str:
    """62.5%, 0.4篇/人, 1场, 4.6分 — or 本季度不适用."""
    if value is None:
        return texts.NOT_APPLICABLE
    if measure in texts.PERCENT_MEASURES:
        return f"{100 * value:.1f}%"
    return f"{round(value, 2):g}{UNITS.get(measure, '')}"


def target_shown(rule: Rule) -> str:
    """A rule's target as the card shows it."""
    return shown(rule.measure, rule.target)


def advice(line: Line) -> str:
    """What would raise a measure below target."""
    return texts.RAISE[line.measure].format(needed=line.needed)


def quarter_name(year: int, quarter: int) -> str:
    """2026年第3季度."""
    return texts.QUARTER.format(year=year, quarter=quarter)


def chat_text(ranked: Ranked, count: int, year: int, quarter: int,
              trend: list[float] | None = None) -> str:
    """The card a contact reads in chat: total, place, every measure, what lowers it."""
    card = ranked.card
    lines = [texts.HEAD.format(organization=card.name, quarter=quarter_name(year, quarter),
                               total=f"{card.total:g}", rank=ranked.rank, count=count)]
    for line in card.lines:
        name = texts.MEASURE_NAMES[line.measure]
        if not line.applies:
            lines.append(texts.LINE_NA.format(name=name))
            continue
        lines.append(texts.LINE.format(name=name, value=shown(line.measure, line.value),
                                       target=target_shown(line.rule),
                                       score=round(line.score, 1), weight=line.rule.weight))
    lowering = card.lowering()
    if lowering:
        lines.append(texts.LOWERING_HEAD)
        lines.extend(texts.LOWERING.format(name=texts.MEASURE_NAMES[line.measure],
                                           advice=advice(line)) for line in lowering[:3])
    else:
        lines.append(texts.ALL_MET)
    if trend:
        lines.append(texts.TREND.format(values=" → ".join(f"{value:g}" for value in trend)))
    return "\n".join(lines)


def workbook(ranked: list[Ranked], rules: dict[str, Rule], year: int, quarter: int) -> bytes:
    """The quarter's ranking with every measure's value and score, and a sheet of the rules."""
    book = Workbook()
    sheet = book.active
    sheet.title = texts.EXPORT_SHEET
    bold = Font(bold=True)
    measures = [line.measure for line in ranked[0].card.lines] if ranked else list(rules)
    sheet.append([quarter_name(year, quarter)])
    head = list(texts.EXPORT_HEAD)
    for measure in measures:
        name = texts.MEASURE_NAMES[measure]
        head += [name, f"{name}得分"]
    sheet.append(head)
    for cell in sheet[2]:
        cell.font = bold
    for row in ranked:
        card: Card = row.card
        values: list[object] = [row.rank, card.name, card.kind, card.members, card.total]
        for line in card.lines:
            values += [shown(line.measure, line.value),
                       round(line.score, 2) if line.applies else texts.NOT_APPLICABLE]
        sheet.append(values)
    sheet.freeze_panes = "C3"
    notes = book.create_sheet(texts.EXPORT_RULES_SHEET)
    notes.append(list(texts.EXPORT_RULES_HEAD))
    for cell in notes[1]:
        cell.font = bold
    for measure, rule in rules.items():
        notes.append([texts.MEASURE_NAMES[measure], texts.MEASURE_RULES[measure],
                      target_shown(rule), rule.weight, "是" if rule.custom else "否"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
