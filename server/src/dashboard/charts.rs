//! Charts as SVG drawn on the server: the geometry is computed here, the template writes
//! `<rect>`s and a `<polyline>` with classes the style sheet colours for the light and the
//! dark theme. No chart library, nothing from a CDN; every number is also in a table.

/// A bar of a column chart, in SVG user units.
pub struct Column {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub title: String,
}

/// Columns (reports per bucket) with a line (new defects per bucket) over them.
pub struct ColumnChart {
    pub width: f64,
    pub height: f64,
    pub columns: Vec<Column>,
    pub line: String,
    pub max_label: String,
    pub x_labels: Vec<(f64, String)>,
    pub baseline: f64,
}

const LEFT: f64 = 40.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 24.0;

/// `points` are (label, bar value, line value); `label_every` labels every nth bucket.
pub fn columns(points: &[(String, u64, u64)], label_every: usize) -> ColumnChart {
    let (width, height) = (720.0, 200.0);
    let plot_w = width - LEFT - 8.0;
    let plot_h = height - TOP - BOTTOM;
    let max = points
        .iter()
        .map(|(_, a, b)| (*a).max(*b))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let step = plot_w / points.len().max(1) as f64;
    let baseline = TOP + plot_h;
    let mut line = Vec::new();
    let mut out = Vec::new();
    let mut x_labels = Vec::new();
    for (i, (label, bar, dot)) in points.iter().enumerate() {
        let x = LEFT + i as f64 * step;
        let h = *bar as f64 / max * plot_h;
        out.push(Column {
            x: round(x + step * 0.1),
            y: round(baseline - h),
            width: round(step * 0.8),
            height: round(h),
            title: format!("{label}: {bar} reports, {dot} new defects"),
        });
        line.push(format!(
            "{},{}",
            round(x + step / 2.0),
            round(baseline - *dot as f64 / max * plot_h)
        ));
        if label_every > 0 && i % label_every == 0 {
            x_labels.push((round(x), label.clone()));
        }
    }
    ColumnChart {
        width,
        height,
        columns: out,
        line: line.join(" "),
        max_label: format!("{}", max as u64),
        x_labels,
        baseline: round(baseline),
    }
}

/// One row of a horizontal bar chart.
pub struct HBar {
    pub y: f64,
    pub label: String,
    pub value: String,
    pub width: f64,
}

pub struct HBarChart {
    pub height: f64,
    pub bars: Vec<HBar>,
}

/// Horizontal bars, longest for the largest value; `value` is the text shown at its end.
pub fn hbars(rows: &[(String, f64, String)]) -> HBarChart {
    let max = rows.iter().map(|(_, v, _)| *v).fold(0.0_f64, f64::max);
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, (label, value, text))| HBar {
            y: i as f64 * 26.0 + 4.0,
            label: label.clone(),
            value: text.clone(),
            width: if max > 0.0 {
                round((value / max * 380.0).max(1.0))
            } else {
                1.0
            },
        })
        .collect::<Vec<_>>();
    HBarChart {
        height: rows.len() as f64 * 26.0 + 8.0,
        bars,
    }
}

/// Shares of a whole, as widths of one stacked bar 600 units wide.
pub fn shares(parts: &[u64]) -> Vec<(f64, f64)> {
    let total: u64 = parts.iter().sum();
    let mut x = 0.0;
    parts
        .iter()
        .map(|part| {
            let w = if total == 0 {
                0.0
            } else {
                *part as f64 / total as f64 * 600.0
            };
            let at = x;
            x += w;
            (round(at), round(w))
        })
        .collect()
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_scale_to_the_largest_value() {
        let chart = columns(
            &[("a".into(), 10, 2), ("b".into(), 5, 10), ("c".into(), 0, 0)],
            2,
        );
        assert_eq!(chart.columns.len(), 3);
        assert_eq!(chart.columns[0].height, 166.0);
        assert_eq!(chart.columns[2].height, 0.0);
        assert_eq!(chart.x_labels.len(), 2);
        assert_eq!(chart.max_label, "10");
    }

    #[test]
    fn shares_fill_the_bar() {
        assert_eq!(
            shares(&[1, 1, 2]),
            vec![(0.0, 150.0), (150.0, 150.0), (300.0, 300.0)]
        );
        assert_eq!(shares(&[0, 0]), vec![(0.0, 0.0), (0.0, 0.0)]);
    }
}
