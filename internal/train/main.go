// Command train writes the machine reader's embedded weights from public
// corpora in ../shared: the part-of-speech tagger (postag/model.bin), the
// attribution reader and its calibration (attribution/reader.bin,
// attribution/calibration.bin) and the subjectivity model
// (reviewers/machine/subjectivity.bin). "make train" runs it; the same
// corpora give the same bytes, so the files in the repository can be
// checked (-check) against a fresh training.
//
// Every model holds out the same development split (one article in ten,
// postag.DevArticle) and reports its figures on it.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"

	"factdesk/attribution"
	"factdesk/internal/brat"
	"factdesk/learn"
	"factdesk/postag"
	"factdesk/reviewers/machine"
)

// seed is every trainer's seed: fixed, so that training is reproducible.
const seed = 2016

// readerEpochs is how many passes the attribution tagger makes.
const readerEpochs = 8

func main() {
	shared := flag.String("shared", "../shared", "the shared directory holding data/polnear-train and eval/newssd_train.jsonl")
	out := flag.String("out", ".", "the repository root to write the weights into")
	check := flag.Bool("check", false, "train and compare with the weights in -out instead of writing them")
	flag.Parse()
	files, err := Train(*shared, os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		path := filepath.Join(*out, f.Path)
		if *check {
			have, err := os.ReadFile(path)
			if err != nil {
				log.Fatal(err)
			}
			if !bytes.Equal(have, f.Data) {
				log.Fatalf("%s differs from a fresh training (%d bytes, fresh %d): run make train", f.Path, len(have), len(f.Data))
			}
			fmt.Printf("%s: identical (%d bytes)\n", f.Path, len(f.Data))
			continue
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("wrote %s (%d bytes)\n", f.Path, len(f.Data))
	}
}

// File is one weights file, its path relative to the repository root.
type File struct {
	Path string
	Data []byte
}

// Train trains every model from the corpora under shared, printing what
// it measured to report.
func Train(shared string, report io.Writer) ([]File, error) {
	polnear := filepath.Join(shared, "data", "polnear-train", "train")
	begin := time.Now()
	tagger, rep, err := postag.TrainFromDir(filepath.Join(polnear, "corenlp"), seed)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(report, rep)
	var files []File
	var buf bytes.Buffer
	if err := tagger.Encode(&buf); err != nil {
		return nil, err
	}
	files = append(files, File{"postag/model.bin", bytes.Clone(buf.Bytes())})
	tagger, err = postag.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return nil, err
	}

	docs, err := brat.ReadDir(polnear)
	if err != nil {
		return nil, err
	}
	var train, dev []brat.Document
	for _, d := range docs {
		if brat.Dev(d.Name) {
			dev = append(dev, d)
		} else {
			train = append(train, d)
		}
	}
	start := time.Now()
	model, err := attribution.TrainReader(train, tagger.TagTokens, readerEpochs, seed).Quantized()
	if err != nil {
		return nil, err
	}
	reader := attribution.NewReader(model, tagger.TagTokens, nil)
	calibration, err := reader.Calibrate(dev, seed).Quantized()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(report, "attribution reader: %d training articles, %d features, trained in %s; calibrated on the %d development articles\n",
		len(train), model.Features(), time.Since(start).Round(time.Millisecond), len(dev))
	for _, f := range []struct {
		path  string
		model *learn.Model
	}{{"attribution/reader.bin", model}, {"attribution/calibration.bin", calibration}} {
		buf.Reset()
		if err := f.model.Encode(&buf); err != nil {
			return nil, err
		}
		files = append(files, File{f.path, bytes.Clone(buf.Bytes())})
	}

	subj, srep, err := machine.TrainSubjectivity(filepath.Join(shared, "eval", "newssd_train.jsonl"), seed)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(report, srep)
	buf.Reset()
	if err := subj.Encode(&buf); err != nil {
		return nil, err
	}
	files = append(files, File{"reviewers/machine/subjectivity.bin", bytes.Clone(buf.Bytes())})
	fmt.Fprintf(report, "trained everything in %s\n", time.Since(begin).Round(time.Second))
	return files, nil
}
