"""A self-contained HTML report (inline SVG charts, no scripts, no network)."""

from __future__ import annotations

from html import escape

from backcoach.domain.trends import Summary

WIDTH, HEIGHT, PAD = 760, 240, 36


def pain_chart_svg(summary: Summary) -> str:
    """Daily min–max bars, daily mean dots and the 7-day mean line, pain 0–10."""
    days = summary.pain
    if not days:
        return '<p class="empty">No pain scores in this period.</p>'
    first = days[0].day
    span = max((days[-1].day - first).days, 1)

    def x(day) -> float:
        return PAD + (WIDTH - 2 * PAD) * (day - first).days / span

    def y(score: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * score / 10

    parts = [f'<svg id="pain-chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
             f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             'aria-label="Pain trend chart">',
             f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>']
    for score in (0, 2, 4, 6, 8, 10):
        parts.append(f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(score):.1f}" '
                     f'y2="{y(score):.1f}" stroke="#ddd"/><text x="8" y="{y(score) + 4:.1f}" '
                     f'font-size="11">{score}</text>')
    for day in days:
        parts.append(f'<line x1="{x(day.day):.1f}" x2="{x(day.day):.1f}" y1="{y(day.low):.1f}" '
                     f'y2="{y(day.high):.1f}" stroke="#9bb8d3" stroke-width="2"/>')
    points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in summary.rolling)
    parts.append(f'<polyline points="{points}" fill="none" stroke="#c0392b" stroke-width="2.5"/>')
    parts.append(f'<text x="{PAD}" y="{HEIGHT - 8}" font-size="11">{first}</text>'
                 f'<text x="{WIDTH - PAD - 70}" y="{HEIGHT - 8}" font-size="11">'
                 f'{days[-1].day}</text></svg>')
    return "".join(parts)


def render_report(summary: Summary, program_title: str) -> str:
    rows = []
    sets = {s.day: s for s in summary.sets}
    for pain, (_, rolled) in list(zip(summary.pain, summary.rolling))[-60:]:
        done = sets.get(pain.day)
        rows.append(f"<tr><td>{pain.day}</td><td>{pain.mean:.1f}</td><td>{pain.low}–{pain.high}"
                    f"</td><td>{rolled:.1f}</td><td>{done.completed if done else 0}</td>"
                    f"<td>{done.stopped if done else 0}</td></tr>")
    insights = "".join(
        ('<li class="clinician">' if i.see_clinician else "<li>") + escape(i.text) + "</li>"
        for i in summary.insights) or "<li>No patterns to report yet.</li>"
    before_after = ""
    if summary.before_after:
        b, a, n = summary.before_after
        before_after = f"<p>Pain before → after sessions: <b>{b:.1f} → {a:.1f}</b> ({n} sessions)</p>"
    adherence = "" if summary.adherence_percent is None else (
        f"<p>Adherence: <b>{summary.adherence_percent:.0f}%</b> of "
        f"{summary.target_per_day} prescribed sets a day. Streak: {summary.current_streak} "
        f"days (longest {summary.longest_streak}).</p>")
    if summary.per_exercise:
        adherence += "<ul>" + "".join(
            f"<li>{escape(a.exercise_id)}: {a.percent:.0f}% ({a.done} of {a.prescribed} "
            "prescribed sets)</li>" for a in summary.per_exercise) + "</ul>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>backcoach report</title>
<style>body{{font-family:sans-serif;max-width:800px;margin:2em auto;color:#222}}
table{{border-collapse:collapse}}td,th{{padding:2px 8px;border-bottom:1px solid #eee}}
.clinician{{font-weight:bold}}</style></head><body>
<h1>backcoach report</h1>
<p>Program: {escape(program_title)} · {summary.first_day or '—'} to {summary.last_day}</p>
<p><i>This report shows what was logged. It is not a diagnosis.</i></p>
<h2>Pain trend</h2>
<p>Bars: daily lowest–highest score. Red line: 7-day mean.</p>
{pain_chart_svg(summary)}
{before_after}{adherence}
<h2>Things to discuss</h2><ul>{insights}</ul>
<h2>Recent days</h2>
<table><tr><th>day</th><th>mean pain</th><th>range</th><th>7-day</th><th>sets</th><th>stopped</th></tr>
{''.join(rows)}</table>
</body></html>
"""
