package postag

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"factdesk/learn"
)

// Tagged is one word of a training sentence with its tag.
type Tagged struct {
	Word, Tag string
}

// Iterations is how many passes over the training sentences TrainFromDir
// makes.
const Iterations = 5

// The tag dictionary holds the forms seen at least dictMinCount times
// with one tag at least dictMinShare of the time; the tagger gives them
// that tag without scoring, in training as in use.
const (
	dictMinCount = 20
	dictMinShare = 0.97
)

// Train trains a tagger on tagged sentences: iterations passes, the
// sentences shuffled before each with a PCG seeded by seed. The same
// sentences, iterations and seed always give the same tagger, and so the
// same file. The model returned is the quantised one the file holds.
func Train(sentences [][]Tagged, iterations int, seed uint64) (*Tagger, error) {
	if iterations < 1 {
		return nil, fmt.Errorf("train tagger: %d iterations", iterations)
	}
	forms := make([][]string, len(sentences))
	tagSet := map[string]bool{}
	for i, s := range sentences {
		words := make([]string, len(s))
		for j, w := range s {
			if w.Tag == "" {
				return nil, fmt.Errorf("train tagger: sentence %d, word %d (%q) has no tag", i+1, j+1, w.Word)
			}
			words[j] = w.Word
			tagSet[w.Tag] = true
		}
		forms[i] = ptbForms(words, nil)
	}
	if len(tagSet) == 0 {
		return nil, errors.New("train tagger: no tagged words")
	}
	tags := make([]string, 0, len(tagSet))
	for tag := range tagSet {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	classOf := make(map[string]int, len(tags))
	for i, tag := range tags {
		classOf[tag] = i
	}
	dict := tagDictionary(sentences, forms, classOf)

	p := learn.NewPerceptron(tags)
	order := make([]int, len(sentences))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, 0x7a99e7))
	scores := make([]float64, len(tags))
	feats := make([]uint64, 0, 32)
	for range iterations {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, si := range order {
			c := newContext(forms[si])
			prev, prev2, verb := start1, start2, start1
			for i, f := range forms[si] {
				guess, ok := dict[f]
				if !ok {
					feats = c.features(feats[:0], i, prev, prev2, verb)
					guess, _ = learn.Best(p.Scores(feats, scores))
					p.Learn(feats, classOf[sentences[si][i].Tag], guess)
				}
				prev2, prev = prev, tags[guess]
				if strings.HasPrefix(prev, "VB") {
					verb = c.norms[i+2]
				}
			}
		}
	}
	m, err := p.Average().Quantized()
	if err != nil {
		return nil, fmt.Errorf("train tagger: %w", err)
	}
	return &Tagger{model: m, tags: m.Classes(), dict: dict}, nil
}

// tagDictionary finds the frequent forms that (nearly) always have the
// same tag.
func tagDictionary(sentences [][]Tagged, forms [][]string, classOf map[string]int) map[string]int {
	counts := map[string]map[int]int{}
	for i, s := range sentences {
		for j, w := range s {
			f := forms[i][j]
			if counts[f] == nil {
				counts[f] = map[int]int{}
			}
			counts[f][classOf[w.Tag]]++
		}
	}
	dict := map[string]int{}
	for f, byTag := range counts {
		total, best, bestN := 0, -1, 0
		for k, n := range byTag {
			total += n
			if n > bestN || n == bestN && k < best {
				best, bestN = k, n
			}
		}
		if total >= dictMinCount && float64(bestN) >= dictMinShare*float64(total) {
			dict[f] = best
		}
	}
	return dict
}

// Accuracy is the share of words of sentences that t tags as they are
// tagged there.
func (t *Tagger) Accuracy(sentences [][]Tagged) float64 {
	right, all := 0, 0
	words := []string{}
	for _, s := range sentences {
		words = words[:0]
		for _, w := range s {
			words = append(words, w.Word)
		}
		for i, tag := range t.Tag(words) {
			if tag == s[i].Tag {
				right++
			}
			all++
		}
	}
	if all == 0 {
		return 0
	}
	return float64(right) / float64(all)
}

// DevArticle reports whether the article of the given name (a corpus
// file's base name without its extension) is in the development split
// that every factdesk trainer holds out: those whose 64-bit FNV-1a hash
// is 0 modulo 10.
func DevArticle(name string) bool { return learn.Hash(name)%10 == 0 }

// Report is what TrainFromDir measured.
type Report struct {
	Articles, DevArticles int
	Words, DevWords       int           // words of all articles, of the development split
	DevAccuracy           float64       // of the tagger trained without the development split
	DevTime               time.Duration // to train that tagger
	Time                  time.Duration // to train the final tagger on all articles
	Features              int           // features with a weight in the final tagger
}

// String is the report in one line, for the training program's log.
func (r Report) String() string {
	return fmt.Sprintf("postag: %d articles (%d words); dev split %d articles (%d words): accuracy %.2f%% (trained in %s); final tagger on all articles: %d features, trained in %s",
		r.Articles, r.Words, r.DevArticles, r.DevWords, 100*r.DevAccuracy, r.DevTime.Round(time.Millisecond), r.Features, r.Time.Round(time.Millisecond))
}

// TrainFromDir trains the shipped tagger from the CoreNLP *.conll files
// in dir, read in sorted order. It first trains without the development
// split (DevArticle) and measures that tagger on it, then trains the
// tagger it returns on every article.
func TrainFromDir(dir string, seed uint64) (*Tagger, Report, error) {
	var rep Report
	files, err := filepath.Glob(filepath.Join(dir, "*.conll"))
	if err != nil {
		return nil, rep, err
	}
	if len(files) == 0 {
		return nil, rep, fmt.Errorf("train tagger: no *.conll files in %s", dir)
	}
	slices.Sort(files)
	var all, train, dev [][]Tagged
	for _, path := range files {
		sents, err := readCoNLLFile(path)
		if err != nil {
			return nil, rep, err
		}
		isDev := DevArticle(strings.TrimSuffix(filepath.Base(path), ".conll"))
		rep.Articles++
		if isDev {
			rep.DevArticles++
		}
		for _, s := range sents {
			tagged := s.Tagged()
			all = append(all, tagged)
			rep.Words += len(tagged)
			if isDev {
				dev = append(dev, tagged)
				rep.DevWords += len(tagged)
			} else {
				train = append(train, tagged)
			}
		}
	}
	begin := time.Now()
	t, err := Train(train, Iterations, seed)
	if err != nil {
		return nil, rep, err
	}
	rep.DevTime = time.Since(begin)
	rep.DevAccuracy = t.Accuracy(dev)
	begin = time.Now()
	t, err = Train(all, Iterations, seed)
	if err != nil {
		return nil, rep, err
	}
	rep.Time = time.Since(begin)
	rep.Features = t.model.Features()
	return t, rep, nil
}

func readCoNLLFile(path string) ([]Sentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sents, err := ReadCoNLL(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sents, nil
}
