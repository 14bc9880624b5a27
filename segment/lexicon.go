package segment

import (
	_ "embed"
	"strings"
)

//go:embed lexicon.txt
var lexiconText string

// Word classes of the lexicon, as bit flags.
const (
	wTitle    uint16 = 1 << iota // stands before a name: never ends a sentence
	wNumber                      // stands before a number
	wGeneral                     // may end a sentence, then only before a starter
	wTime                        // a.m., p.m.
	wStarter                     // typically starts a sentence
	wTimeWord                    // weekday, month, time zone
	wFronted                     // starts a fronted time phrase
	wSpeech                      // verb of speech
	wFunction                    // function word: a line ending on it goes on
	wSubject                     // noun that often starts a news sentence
	wBang                        // name written with "!"
)

var lexiconClasses = map[string]uint16{
	"title": wTitle, "number": wNumber, "general": wGeneral, "time": wTime,
	"starter": wStarter, "timeword": wTimeWord, "fronted": wFronted,
	"speech": wSpeech, "function": wFunction, "subject": wSubject, "bang": wBang,
}

// lexicon maps a word to its classes. It is built once from the embedded
// lexicon.txt and never written afterwards.
var lexicon = parseLexicon(lexiconText)

func parseLexicon(text string) map[string]uint16 {
	m := make(map[string]uint16, 1024)
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		name, words, ok := strings.Cut(line, ":")
		if !ok {
			panic("segment: lexicon line without a class: " + line)
		}
		class, ok := lexiconClasses[strings.TrimSpace(name)]
		if !ok {
			panic("segment: unknown lexicon class " + name)
		}
		for _, w := range strings.Fields(words) {
			m[w] |= class
		}
	}
	return m
}

// classOf returns the lexicon classes of word (0 when it is not listed).
func classOf(word string) uint16 {
	if len(word) == 0 || len(word) > 16 || !lexiconFilter.has(word) {
		return 0
	}
	return lexicon[word]
}

// filter is a small Bloom filter over the lexicon keyed by a word's
// length and first and last bytes: most words of a text fail it and skip
// the map.
type filter [128]uint64

func filterBit(w string) uint {
	return (uint(len(w))*131 + uint(w[0])*31 + uint(w[len(w)-1])*7) % (128 * 64)
}

func (f *filter) add(w string)      { b := filterBit(w); f[b/64] |= 1 << (b % 64) }
func (f *filter) has(w string) bool { b := filterBit(w); return f[b/64]&(1<<(b%64)) != 0 }

var lexiconFilter, abbrevFilter = func() (*filter, *filter) {
	all, abbrev := new(filter), new(filter)
	for w, c := range lexicon {
		all.add(w)
		if c&(wTitle|wNumber|wGeneral|wTime) != 0 {
			abbrev.add(w)
		}
	}
	return all, abbrev
}()

// abbrevClassOf returns the lexicon classes of word when it is a listed
// abbreviation (title, number, general or time), else 0. It is the lookup
// made for the word before every period, so it has a filter of its own.
func abbrevClassOf(word string) uint16 {
	if len(word) == 0 || len(word) > 16 || !abbrevFilter.has(word) {
		return 0
	}
	return lexicon[word]
}
