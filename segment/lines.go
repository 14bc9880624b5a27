package segment

import (
	"strings"
	"unicode/utf8"
)

// lineInfo is what the line rules need to know of a line.
type lineInfo struct {
	length      int
	endsFinal   bool // ends with a final mark (before closing marks)
	endsOpen    bool // ends on a comma, a dash, a function word…: goes on
	startsLower bool // starts (after opening marks) with a lower-case letter
	item        bool // starts with a list marker
	dashItem    bool // the marker is "-", "*" or "+"
	endsColon   bool // ends with a colon
	dateline    bool // starts with a dateline: "MOSCOW (Reuters) -"
	alone       bool // a byline, photo credit, dateline or all-capitals line
}

// paragraph splits the paragraph whose lines are in sc.lines: it cuts it
// into blocks at the line breaks that end a sentence whatever the
// punctuation says, and splits each block.
func (sc *scanner) paragraph() {
	lines := sc.lines
	if len(lines) == 1 {
		sc.block(lines[0].start, lines[0].end)
		return
	}
	sc.info = sc.info[:0]
	listLike, maxLen := true, 0
	for _, l := range lines {
		in := sc.lineInfo(l)
		sc.info = append(sc.info, in)
		if in.endsFinal {
			listLike = false
		}
		maxLen = max(maxLen, in.length)
	}
	info := sc.info
	for k := 1; k < len(info); k++ {
		// A line starting "- " after an unfinished line is a wrapped dash,
		// not a list item.
		if a := info[k-1]; info[k].dashItem && !a.item && !a.endsFinal && !a.endsColon {
			info[k].item = false
		}
	}
	first, inItem := 0, info[0].item
	for k := 1; k < len(lines); k++ {
		a, b := info[k-1], info[k]
		var cut bool
		switch {
		case b.item:
			cut = true
		case inItem:
			cut = !b.startsLower
		case listLike:
			// Lines without final marks are items, unless the next one
			// carries on a long or unfinished line in lower case.
			cut = !(b.startsLower && (a.endsOpen || a.length >= 40))
		case a.alone || b.alone:
			cut = true
		case !a.endsFinal && !a.endsOpen && !b.startsLower:
			cut = b.dateline || sc.headline(k-1, first, maxLen)
		}
		if cut {
			sc.block(lines[first].start, lines[k-1].end)
			first, inItem = k, b.item
		}
	}
	sc.block(lines[first].start, lines[len(lines)-1].end)
}

// headline reports whether line k, followed by a line that starts with a
// capital, stands alone as a headline or subheading: the first line of the
// text when it is clearly shorter than the lines after it (a hard-wrapped
// line is about as long as the others), or a short line that starts a block
// (first) or follows a finished sentence.
func (sc *scanner) headline(k, first, maxLen int) bool {
	info := sc.info
	a := info[k]
	if sc.para == 0 && k == 0 {
		longest := 0
		for _, in := range info[1:] {
			longest = max(longest, in.length)
		}
		return a.length*5 < longest*4
	}
	return (k == first || info[k-1].endsFinal) && a.length*5 <= maxLen*3 && a.length <= 120
}

func (sc *scanner) lineInfo(l span) lineInfo {
	s := sc.s
	in := lineInfo{length: l.end - l.start}
	in.startsLower = startsLower(s[:l.end], l.start)
	switch lineEnd(s, l.start, l.end) {
	case endFinal:
		in.endsFinal = true
	case endOpen:
		in.endsOpen = true
	case endColon:
		in.endsOpen, in.endsColon = true, true
	}
	m, item := parseMarker(s, l.start, l.end, true)
	in.item = item
	in.dashItem = item && m.style == listBullet && m.bullet < utf8.RuneSelf
	in.dateline = datelineStart(s[l.start:l.end])
	in.alone = !in.endsFinal && standalone(s[l.start:l.end])
	return in
}

// standalone reports whether a line is a byline ("By Jane Doe"), a photo
// credit ("Photo: Reuters", "REUTERS/Kevin Lamarque") or a dateline or
// other short line in capitals ("MOSCOW (Reuters) -", "WASHINGTON, Jan. 5").
func standalone(line string) bool {
	if len(line) > 120 {
		return false
	}
	if byline(line) {
		return true
	}
	for _, p := range creditPrefixes {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	for _, p := range creditMarks {
		if strings.Contains(line, p) {
			return true
		}
	}
	if len(line) > 60 {
		return false
	}
	// A dateline or a line in capitals: a first word of capitals, few
	// words, ending on a dash, a bracket, a digit or a capital.
	caps := 0
	for caps < len(line) && line[caps] >= 'A' && line[caps] <= 'Z' {
		caps++
	}
	if caps < 3 || caps < len(line) && isLetter(firstRune(line[caps:])) {
		return false
	}
	if strings.Count(line, " ") > 7 {
		return false
	}
	last, _ := decodeBefore(line, len(line))
	return isDash(last) || last == ')' || isDigit(last) || isUpper(last)
}

// byline reports whether line is "By" and a few names: "By Jane Doe and
// John Smith in Moscow".
func byline(line string) bool {
	if len(line) > 80 || !strings.HasPrefix(line, "By ") && !strings.HasPrefix(line, "BY ") {
		return false
	}
	words := strings.Fields(line[3:])
	if len(words) == 0 || len(words) > 8 {
		return false
	}
	for _, w := range words {
		if !isUpper(firstRune(w)) && !bylineLinks[strings.TrimRight(w, ",")] {
			return false
		}
	}
	return true
}

var bylineLinks = map[string]bool{
	"and": true, "&": true, "de": true, "da": true, "van": true, "von": true, "der": true,
	"den": true, "del": true, "la": true, "le": true, "du": true, "bin": true, "al": true,
	"in": true, "for": true, "of": true, "the": true, "|": true, "/": true, "-": true, "—": true,
	"–": true, "•": true, "·": true,
}

// datelineStart reports whether line starts with a dateline: a place in
// capitals followed by a comma, a bracket or a dash ("MOSCOW (Reuters) -",
// "NEW YORK, Jan. 5 -", "WASHINGTON - ").
func datelineStart(line string) bool {
	k, letters := 0, 0
	for k < len(line) && k < 40 {
		c := line[k]
		if c >= 'A' && c <= 'Z' {
			letters++
		} else if c != ' ' && c != '.' && c != '-' {
			break
		}
		k++
	}
	if letters < 3 || k >= len(line) {
		return false
	}
	if line[k] == ',' {
		return true
	}
	r := firstRune(line[k:])
	return line[k-1] == ' ' && (r == '(' || isDash(r))
}

var creditPrefixes = []string{
	"Photo:", "Photo by ", "Photo credit", "Photos:", "Photograph:", "Photograph by ",
	"Photographs:", "Picture:", "Pictures:", "Image:", "Image copyright", "Image caption",
	"Image source", "Credit:", "Credits:", "Illustration:", "Video:", "FILE PHOTO",
	"(Photo", "[Photo", "PHOTO:",
}

var creditMarks = []string{
	"Getty Images", "REUTERS/", "/Reuters", "AP Photo", "/AFP", "AFP/", "/EPA", "EPA/",
	"/Bloomberg", "Shutterstock",
}
