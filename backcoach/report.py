"""A self-contained HTML report (inline SVG charts, no scripts, no network)."""

from __future__ import annotations

from html import escape

from backcoach.domain.psfs import activity_rows, summary_text
from backcoach.domain.trends import Summary, recent_days
from backcoach.text import plural

WIDTH, HEIGHT, PAD = 760, 240, 36


CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
MARK_COLOUR = {"acute": "#f5c6c6", "red-flag": "#c0392b", "check": "#7f8c8d"}



def svg_open(ident: str, height: int, label: str) -> list[str]:
    """The opening of an inline SVG chart, WIDTH wide, on a white background."""
    return [f'<svg id="{ident}" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
            f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-label="{label}">',
            f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#fff"/>']

def pain_chart_svg(summary: Summary, markers=()) -> str:
    """Daily min–max bars, the 7-day mean line, acute days shaded, safety checks ticked."""
    days = summary.pain
    if not days:
        return '<p class="empty">No pain scores in this period.</p>'
    first = days[0].day
    span = max((days[-1].day - first).days, 1)

    def x(day) -> float:
        return PAD + (WIDTH - 2 * PAD) * (day - first).days / span

    def y(score: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * score / 10

    parts = svg_open("pain-chart", HEIGHT, "Pain trend chart")
    for score in (0, 2, 4, 6, 8, 10):
        parts.append(f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(score):.1f}" '
                     f'y2="{y(score):.1f}" stroke="#ddd"/><text x="8" y="{y(score) + 4:.1f}" '
                     f'font-size="11">{score}</text>')
    for marker in markers:
        if first <= marker.day <= days[-1].day:
            left = x(marker.day)
            if marker.kind == "acute":
                parts.append(f'<rect x="{left - 2:.1f}" y="{PAD}" width="5" '
                             f'height="{HEIGHT - 2 * PAD}" fill="{MARK_COLOUR["acute"]}"/>')
            else:
                parts.append(f'<path d="M{left:.1f},{HEIGHT - PAD + 4} l-4,8 h8 z" '
                             f'fill="{MARK_COLOUR[marker.kind]}"/>')
    for day in days:
        parts.append(f'<line x1="{x(day.day):.1f}" x2="{x(day.day):.1f}" y1="{y(day.low):.1f}" '
                     f'y2="{y(day.high):.1f}" stroke="#9bb8d3" stroke-width="2"/>')
    points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in summary.rolling)
    parts.append(f'<polyline points="{points}" fill="none" stroke="#c0392b" stroke-width="2.5"/>')
    parts.append(f'<text x="{PAD}" y="{HEIGHT - 8}" font-size="11">{first}</text>'
                 f'<text x="{WIDTH - PAD - 70}" y="{HEIGHT - 8}" font-size="11">'
                 f'{days[-1].day}</text></svg>')
    return "".join(parts)


def sessions_table(sessions) -> str:
    rows = "".join(
        f"<tr><td>{s.started_at.astimezone():%Y-%m-%d %H:%M}</td><td>{escape(s.program_version)}"
        f"</td><td>{escape(s.exercises)}</td><td>{'' if s.pain_before is None else s.pain_before}"
        f" → {'' if s.pain_after is None else s.pain_after}</td><td>{escape(s.stops)}</td>"
        f"<td>{escape(s.note)}</td></tr>"
        for s in sessions)
    return ("<table><tr><th>started</th><th>version</th><th>exercises</th><th>pain</th>"
            f"<th>stops</th><th>note</th></tr>{rows}</table>") if rows else \
        "<p>No sessions yet.</p>"


def psfs_chart_svg(assessments) -> str:
    """The activity scale's mean per assessment over time (0-10, higher is better)."""
    if not assessments:
        return ""
    first = assessments[0].at
    span = max((assessments[-1].at - first).total_seconds(), 1.0)
    height = 160

    def x(when) -> float:
        if len(assessments) == 1:
            return WIDTH / 2
        return PAD + (WIDTH - 2 * PAD) * (when - first).total_seconds() / span

    def y(score: float) -> float:
        return height - PAD - (height - 2 * PAD) * score / 10

    parts = svg_open("psfs-chart", height, "Activity scale chart")
    for score in (0, 5, 10):
        parts.append(f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(score):.1f}" '
                     f'y2="{y(score):.1f}" stroke="#ddd"/><text x="8" y="{y(score) + 4:.1f}" '
                     f'font-size="11">{score}</text>')
    points = " ".join(f"{x(a.at):.1f},{y(a.mean):.1f}" for a in assessments)
    parts.append(f'<polyline points="{points}" fill="none" stroke="#1f6f8b" '
                 'stroke-width="2.5"/>')
    parts += [f'<circle cx="{x(a.at):.1f}" cy="{y(a.mean):.1f}" r="4" fill="#1f6f8b"/>'
              for a in assessments]
    parts.append(f'<text x="{PAD}" y="{height - 8}" font-size="11">{first.date()}</text>'
                 f'<text x="{WIDTH - PAD - 70}" y="{height - 8}" font-size="11">'
                 f'{assessments[-1].at.date()}</text></svg>')
    return "".join(parts)


def psfs_section(assessments) -> str:
    """The activity scale (PSFS): the chart, each activity's first and latest rating."""
    if not assessments:
        return ("<h2>Activity scale (PSFS)</h2><p>No activity scale recorded yet "
                "(<code>backcoach psfs</code>).</p>")
    rows = "".join(f"<tr><td>{escape(name)}</td><td>{'' if first is None else first}</td>"
                   f"<td>{latest}</td></tr>" for name, first, latest in activity_rows(assessments))
    return (f"<h2>Activity scale (PSFS)</h2><p>{escape(summary_text(assessments))}</p>"
            "<p>Each point: the mean of the activity ratings, 0 (unable to do it) to 10 "
            "(as before the problem).</p>" + psfs_chart_svg(assessments) +
            "<table><tr><th>activity (the patient's words)</th><th>first</th><th>latest</th>"
            f"</tr>{rows}</table>")


def render_report(summary: Summary, program_title: str, markers=(), sessions=(),
                  psfs=()) -> str:
    rows = []
    for row in recent_days(summary, 60):
        rows.append(f"<tr><td>{row.day}</td><td>{row.mean:.1f}</td><td>{row.low}–{row.high}"
                    f"</td><td>{row.rolling:.1f}</td><td>{row.completed}</td>"
                    f"<td>{row.stopped}</td></tr>")
    insights = "".join(
        ('<li class="clinician">' if i.see_clinician else "<li>") + escape(i.text) + "</li>"
        for i in summary.insights) or "<li>No patterns to report yet.</li>"
    before_after = ""
    if summary.before_after:
        b, a, n = summary.before_after
        before_after = (f"<p>Pain before → after sessions: <b>{b:.1f} → {a:.1f}</b> "
                        f"({plural(n, 'session')})</p>")
    adherence = "" if summary.adherence_percent is None else (
        f"<p>Adherence: <b>{summary.adherence_percent:.0f}%</b> of "
        f"{plural(summary.target_per_day, 'prescribed set')} a day. Streak: "
        f"{plural(summary.current_streak, 'day')} (longest "
        f"{plural(summary.longest_streak, 'day')}).</p>")
    if summary.per_exercise:
        adherence += "<ul>" + "".join(
            f"<li>{escape(a.title or a.exercise_id)}: {a.percent:.0f}% ({a.done} of {a.prescribed} "
            "prescribed sets)</li>" for a in summary.per_exercise) + "</ul>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>backcoach report</title>
<style>body{{font-family:sans-serif;max-width:800px;margin:2em auto;color:#222}}
table{{border-collapse:collapse}}td,th{{padding:2px 8px;border-bottom:1px solid #eee}}
.clinician{{font-weight:bold}}</style></head><body>
<h1>backcoach report</h1>
<p>Program: {escape(program_title)} · {summary.first_day or '—'} to {summary.last_day}</p>
<p><i>This report shows what was logged. It is not a diagnosis.</i></p>
<h2>Pain trend</h2>
<p>Bars: daily lowest–highest score. Red line: 7-day mean. Shaded: acute episode.
Triangles: safety checks (red: a warning sign was reported).</p>
{pain_chart_svg(summary, markers)}
{before_after}{adherence}
{psfs_section(psfs)}
<h2>Things to discuss</h2><ul>{insights}</ul>
<h2>Recent days</h2>
<table><tr><th>day</th><th>mean pain</th><th>range</th><th>7-day</th><th>sets</th>
<th>stopped</th></tr>
{''.join(rows)}</table>
<h2>Recent sessions</h2>
{sessions_table(sessions)}
</body></html>
"""
