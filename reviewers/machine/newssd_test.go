package machine

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"testing"

	"factdesk/codebook"
	"factdesk/internal/shared"
	"factdesk/segment"
)

// newsSD reads the NewsSD-ENG training sentences (SUBJ ≈ assessment).
func newsSD(t testing.TB) (texts []string, subj []bool) {
	t.Helper()
	f, err := os.Open(shared.Path(t, "eval", "newssd_train.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var x struct{ Sentence, Label string }
		if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
			t.Fatal(err)
		}
		texts = append(texts, x.Sentence)
		subj = append(subj, x.Label == "SUBJ")
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return texts, subj
}

// TestNewsSDSanity measures the assessment-or-not decision on news
// sentences labeled objective or subjective by others. Subjective is close
// to, not the same as, assessment, so this is a sanity figure: the test
// only asks that the reviewer beat always answering "not an assessment".
func TestNewsSDSanity(t *testing.T) {
	texts, subj := newsSD(t)
	r := NewRules()
	var tp, fp, fn, tn int
	for i, s := range texts {
		// Each sentence alone: the file holds no paragraphs or neighbours.
		in := SentencesFrom(s, []segment.Sentence{{Text: s, End: len(s), Quote: segment.QuoteNone}})
		got, err := r.Suggest(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		switch a := got[0].Label == codebook.Assessment; {
		case a && subj[i]:
			tp++
		case a:
			fp++
		case subj[i]:
			fn++
		default:
			tn++
		}
	}
	n := len(texts)
	acc := float64(tp+tn) / float64(n)
	baseline := float64(fp+tn) / float64(n)
	t.Logf("NewsSD-ENG train, %d sentences: accuracy %.3f (always-objective baseline %.3f); assessment precision %.3f recall %.3f (tp %d fp %d fn %d tn %d)",
		n, acc, baseline, float64(tp)/float64(max(tp+fp, 1)), float64(tp)/float64(max(tp+fn, 1)), tp, fp, fn, tn)
	if acc <= baseline {
		t.Errorf("accuracy %.3f does not beat the baseline %.3f", acc, baseline)
	}
}
