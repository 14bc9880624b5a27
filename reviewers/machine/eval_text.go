package machine

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"factdesk/codebook"
)

// maxMissesShown bounds the misses WriteText lists; JSON has them all.
const maxMissesShown = 10

// WriteText writes the evaluation as a readable report: the accuracies,
// a table of per-label scores, the confusion matrix and the worst misses
// with their reasons.
func (ev Evaluation) WriteText(w io.Writer) error {
	var b strings.Builder
	name := ev.Gold
	if name != "" {
		name = filepath.Base(name)
	}
	fmt.Fprintf(&b, "reviewer %s %s on %s: %d sentences scored, %d excluded\n",
		ev.Reviewer, ev.Version, name, ev.Sentences, ev.Excluded)
	fmt.Fprintf(&b, "strict accuracy %.3f   lenient accuracy %.3f   macro-F1 %.3f\n\n",
		ev.StrictAccuracy, ev.LenientAccuracy, ev.MacroF1)

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "label\tprecision\trecall\tF1\tsupport\tpredicted\t")
	for _, l := range codebook.Labels {
		s, ok := ev.PerLabel[l]
		if !ok {
			continue
		}
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\t%d\t\n", l, s.Precision, s.Recall, s.F1, s.Support, s.Predicted)
	}
	tw.Flush()

	b.WriteString("\nconfusion (rows: gold, columns: predicted)\n")
	cols := append([]codebook.Label{}, codebook.Labels...)
	for _, row := range ev.Confusion {
		if _, ok := row[""]; ok {
			cols = append(cols, "")
			break
		}
	}
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "\t")
	for _, c := range cols {
		fmt.Fprintf(tw, "%s\t", labelOrNone(c))
	}
	fmt.Fprintln(tw)
	for _, g := range codebook.Labels {
		row, ok := ev.Confusion[g]
		if !ok {
			continue
		}
		fmt.Fprintf(tw, "%s\t", g)
		for _, c := range cols {
			fmt.Fprintf(tw, "%d\t", row[c])
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()

	if len(ev.Misses) > 0 {
		fmt.Fprintf(&b, "\nworst misses (%d of %d)\n", min(len(ev.Misses), maxMissesShown), len(ev.Misses))
		for _, m := range ev.Misses[:min(len(ev.Misses), maxMissesShown)] {
			verdict := "wrong"
			if m.Lenient {
				verdict = "acceptable"
			}
			fmt.Fprintf(&b, "  n=%d gold %s%s → %s %.2f (%s)\n    %s\n", m.N, m.Gold, also(m.AlsoAcceptable),
				labelOrNone(m.Predicted), m.Confidence, verdict, m.Text)
			if len(m.Reasons) > 0 {
				fmt.Fprintf(&b, "    reasons: %s\n", strings.Join(m.Reasons, "; "))
			}
		}
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	if _, err := io.WriteString(w, strings.Join(lines, "\n")); err != nil {
		return fmt.Errorf("write evaluation: %w", err)
	}
	return nil
}

func labelOrNone(l codebook.Label) string {
	if l == "" {
		return "(none)"
	}
	return string(l)
}

func also(ls []codebook.Label) string {
	if len(ls) == 0 {
		return ""
	}
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return " (also " + strings.Join(s, ", ") + ")"
}
