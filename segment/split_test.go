package segment

import (
	"strings"
	"testing"
)

// splitCase is an input and the sentences a careful reader gives it.
type splitCase struct {
	name string
	in   string
	want []string
}

// texts returns the texts of sentences.
func texts(sentences []Sentence) []string {
	out := make([]string, len(sentences))
	for i, s := range sentences {
		out[i] = s.Text
	}
	return out
}

func runCases(t *testing.T, cases []splitCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Split(c.in)
			checkInvariants(t, c.in, got)
			if g, w := strings.Join(texts(got), "\n"), strings.Join(c.want, "\n"); g != w {
				t.Errorf("Split(%q)\n got: %q\nwant: %q", c.in, texts(got), c.want)
			}
		})
	}
}

func TestSplitNews(t *testing.T) {
	runCases(t, []splitCase{
		{"dateline agency hyphen", "MOSCOW (Reuters) - Russian President Vladimir Putin said on Sunday the United States would have to cut 755 staff. The move was expected.",
			[]string{"MOSCOW (Reuters) - Russian President Vladimir Putin said on Sunday the United States would have to cut 755 staff.", "The move was expected."}},
		{"dateline em dash", "WASHINGTON (AP) — The Senate voted 52-48 on Tuesday. Republicans cheered.",
			[]string{"WASHINGTON (AP) — The Senate voted 52-48 on Tuesday.", "Republicans cheered."}},
		{"dateline with date abbreviation", "LONDON, Jan. 5 (Reuters) - Britain's economy grew 0.3% in the three months to November. Sterling rose.",
			[]string{"LONDON, Jan. 5 (Reuters) - Britain's economy grew 0.3% in the three months to November.", "Sterling rose."}},
		{"dateline with state abbreviation", "SPRINGFIELD, Ill. (AP) — Officials said the plant would close. Workers protested.",
			[]string{"SPRINGFIELD, Ill. (AP) — Officials said the plant would close.", "Workers protested."}},
		{"dateline D.C.", "WASHINGTON, D.C. (AP) — Police said two people were hurt.",
			[]string{"WASHINGTON, D.C. (AP) — Police said two people were hurt."}},
		{"dateline on its own line", "MOSCOW (Reuters) -\nRussia said on Sunday it would retaliate.",
			[]string{"MOSCOW (Reuters) -", "Russia said on Sunday it would retaliate."}},
		{"byline line", "By Jane Doe\nMOSCOW, July 31 (Reuters) - Russia said it would retaliate.",
			[]string{"By Jane Doe", "MOSCOW, July 31 (Reuters) - Russia said it would retaliate."}},
		{"headline byline credit body", "Putin orders cuts\nBy Jane Doe and John Smith\nPhoto: Reuters\nThe Kremlin said on Monday it would act.",
			[]string{"Putin orders cuts", "By Jane Doe and John Smith", "Photo: Reuters", "The Kremlin said on Monday it would act."}},
		{"photo credit after caption", "Trump speaks in Washington, U.S., July 31, 2017. REUTERS/Kevin Lamarque",
			[]string{"Trump speaks in Washington, U.S., July 31, 2017.", "REUTERS/Kevin Lamarque"}},
		{"photo credit line", "Protesters gather in Moscow on Sunday.\n(Photo: Alexander Zemlianichenko/AP)\nThe protest was peaceful.",
			[]string{"Protesters gather in Moscow on Sunday.", "(Photo: Alexander Zemlianichenko/AP)", "The protest was peaceful."}},
		{"wrapped sentence starting with By", "The budget was cut sharply this year.\nBy Monday, officials said, the cuts had taken effect.",
			[]string{"The budget was cut sharply this year.", "By Monday, officials said, the cuts had taken effect."}},
		{"etc inside", "They sold apples, pears, etc. and then left.", []string{"They sold apples, pears, etc. and then left."}},
		{"etc at end", "They bought milk, bread, etc. The shop closed.", []string{"They bought milk, bread, etc.", "The shop closed."}},
		{"etc at end of text", "The tour covers Paris, Rome, etc.", []string{"The tour covers Paris, Rome, etc."}},
		{"teaser double period", "The country is.. According to officials, it is over.", []string{"The country is..", "According to officials, it is over."}},
		{"teaser double period at paragraph end", "The country is..\n\nAccording to officials.", []string{"The country is..", "According to officials."}},
		{"question in quote with tag", "“Why?” she asked. “Because it matters,” he said.", []string{"“Why?” she asked.", "“Because it matters,” he said."}},
		{"question in quote with name and verb", "“Why now?” Smith asked. Nobody answered.", []string{"“Why now?” Smith asked.", "Nobody answered."}},
		{"exclamation in quote with title and name", "“No!” Sen. O’Connell said. The room fell silent.", []string{"“No!” Sen. O’Connell said.", "The room fell silent."}},
		{"question in quote then sentence", "She asked: “Why?” Then she left.", []string{"She asked: “Why?”", "Then she left."}},
		{"question in quote inside sentence", "He asked “why?” and left.", []string{"He asked “why?” and left."}},
		{"period inside curly quote", "He said the plan was “dead on arrival.” Others disagreed.", []string{"He said the plan was “dead on arrival.”", "Others disagreed."}},
		{"question inside straight quote", "He asked, \"Is it over?\" Nobody knew.", []string{"He asked, \"Is it over?\"", "Nobody knew."}},
		{"period inside parentheses", "The report found problems. (The agency disputes this.) It was released.", []string{"The report found problems.", "(The agency disputes this.)", "It was released."}},
		{"period before closing parenthesis mid-sentence", "She wrote (see below.) that it ended.", []string{"She wrote (see below.) that it ended."}},
		{"period after closing quote", "He threatened that Russia would “retaliate”. It was the first time.", []string{"He threatened that Russia would “retaliate”.", "It was the first time."}},
		{"U.S. at end before capitalised noun", "I work for the U.S. Government in Virginia.", []string{"I work for the U.S. Government in Virginia."}},
		{"U.S. at end before starter", "The deal was signed in the U.S. The next day markets rose.", []string{"The deal was signed in the U.S.", "The next day markets rose."}},
		{"U.S. at end before news subject", "It was signed in the U.S. Officials said markets rose.", []string{"It was signed in the U.S.", "Officials said markets rose."}},
		{"U.S. in title case headline", "U.S. Officials Say Russia Meddled", []string{"U.S. Officials Say Russia Meddled"}},
		{"U.S. before title", "The bill was sponsored by U.S. Sen. Elizabeth Warren and U.S. Rep. John Smith.", []string{"The bill was sponsored by U.S. Sen. Elizabeth Warren and U.S. Rep. John Smith."}},
		{"U.S. possessive and hyphen", "The U.S.'s role and the U.S.’s allies grew. U.S.-based firms rose.", []string{"The U.S.'s role and the U.S.’s allies grew.", "U.S.-based firms rose."}},
		{"U.K. and U.N.", "The U.K. Parliament met. U.N. Secretary-General Antonio Guterres spoke.", []string{"The U.K. Parliament met.", "U.N. Secretary-General Antonio Guterres spoke."}},
		{"titles", "Sen. John McCain, R-Ariz., voted no. Gov. Andrew Cuomo, D-N.Y., disagreed. Lt. Gen. Smith agreed. Dr. Jones and Prof. Lee spoke.",
			[]string{"Sen. John McCain, R-Ariz., voted no.", "Gov. Andrew Cuomo, D-N.Y., disagreed.", "Lt. Gen. Smith agreed.", "Dr. Jones and Prof. Lee spoke."}},
		{"party and state in parentheses", "Sen. Elizabeth Warren (D-Mass.) called it “a disgrace.” Republicans cheered.",
			[]string{"Sen. Elizabeth Warren (D-Mass.) called it “a disgrace.”", "Republicans cheered."}},
		{"Mr. Mrs. Ms.", "Mr. and Mrs. Smith arrived. Ms. Jones left. Messrs. Brown and Green stayed.", []string{"Mr. and Mrs. Smith arrived.", "Ms. Jones left.", "Messrs. Brown and Green stayed."}},
		{"company suffixes", "Shares of Apple Inc. rose 3.5% to $142.10. Apple Inc. Chief Executive Tim Cook said sales rose.",
			[]string{"Shares of Apple Inc. rose 3.5% to $142.10.", "Apple Inc. Chief Executive Tim Cook said sales rose."}},
		{"company suffix at end", "They closed the deal with Pitt, Briggs & Co. It closed yesterday.", []string{"They closed the deal with Pitt, Briggs & Co.", "It closed yesterday."}},
		{"Jr. mid and end", "The Rev. Dr. Martin Luther King Jr. spoke. He quoted King Jr. The crowd cheered.", []string{"The Rev. Dr. Martin Luther King Jr. spoke.", "He quoted King Jr.", "The crowd cheered."}},
		{"St. as saint and street", "The company, based in St. Louis, moved to 10 Downing St. The office closed.", []string{"The company, based in St. Louis, moved to 10 Downing St.", "The office closed."}},
		{"No. before number and the word no", "He was ranked No. 3 in the world. She said no. The match ended.", []string{"He was ranked No. 3 in the world.", "She said no.", "The match ended."}},
		{"months", "The sanctions begin on Jan. 5 and end in Sept. 2025. Talks resume in Feb. The allies agreed.",
			[]string{"The sanctions begin on Jan. 5 and end in Sept. 2025.", "Talks resume in Feb.", "The allies agreed."}},
		{"e.g. and i.e.", "The figures, i.e. the ones released Monday, show a rise, e.g. in Ohio. Version 2.0.1 was released.",
			[]string{"The figures, i.e. the ones released Monday, show a rise, e.g. in Ohio.", "Version 2.0.1 was released."}},
		{"a.m. before weekday and time zone", "He arrived at 10 a.m. Friday and left at 3 p.m. EDT. The meeting ended at 5 p.m. The minister left.",
			[]string{"He arrived at 10 a.m. Friday and left at 3 p.m. EDT.", "The meeting ended at 5 p.m.", "The minister left."}},
		{"a.m. local time", "The ship sailed at 5 p.m. local time (1400 GMT). It reached port at 8 a.m. Moscow time on Saturday.",
			[]string{"The ship sailed at 5 p.m. local time (1400 GMT).", "It reached port at 8 a.m. Moscow time on Saturday."}},
		{"fronted time", "At 5 a.m. Mr. Smith went to the bank. By 9 p.m. Police had arrived.", []string{"At 5 a.m. Mr. Smith went to the bank.", "By 9 p.m. Police had arrived."}},
		{"initials", "John F. Kennedy and J.R.R. Tolkien were born in the 20th century. George W. Bush was president. A. B. Smith and C. D. Jones co-wrote it.",
			[]string{"John F. Kennedy and J.R.R. Tolkien were born in the 20th century.", "George W. Bush was president.", "A. B. Smith and C. D. Jones co-wrote it."}},
		{"numbers", "The Dow rose 0.5%, or 120.5 points, to 24,200.50. The S&P 500 gained 0.3%. Revenue was $4.2bn. It cost £4.2m. It cost €1.5bn.",
			[]string{"The Dow rose 0.5%, or 120.5 points, to 24,200.50.", "The S&P 500 gained 0.3%.", "Revenue was $4.2bn.", "It cost £4.2m.", "It cost €1.5bn."}},
		{"number ends sentence before number", "He was born in 1990. 2016 was a good year.", []string{"He was born in 1990.", "2016 was a good year."}},
		{"versions and ranges", "Version 2.0.1 fixes it. The company expects revenue of $4.2bn-$4.5bn. It also raised its forecast.",
			[]string{"Version 2.0.1 fixes it.", "The company expects revenue of $4.2bn-$4.5bn.", "It also raised its forecast."}},
		{"URLs emails files", "Contact us at press@example.com. Read more at https://example.com/news?id=3. Visit www.example.org. Files are in report.pdf. Download it now.",
			[]string{"Contact us at press@example.com.", "Read more at https://example.com/news?id=3.", "Visit www.example.org.", "Files are in report.pdf.", "Download it now."}},
		{"no space after period", "The price fell to $1.5 million.The buyer withdrew.", []string{"The price fell to $1.5 million.", "The buyer withdrew."}},
		{"email with capitalised name", "Write to Jane.Doe@example.com. She answers.", []string{"Write to Jane.Doe@example.com.", "She answers."}},
		{"ellipsis then capital", "Oil hit $80 a barrel... Then it fell. It rose again… Analysts were surprised.",
			[]string{"Oil hit $80 a barrel...", "Then it fell.", "It rose again…", "Analysts were surprised."}},
		{"ellipsis standing apart", "That state has sixty cities … In addition there are 932 towns ... And more.", []string{"That state has sixty cities … In addition there are 932 towns ... And more."}},
		{"ellipsis inside", "He said he was “shocked”… but not surprised. It was … odd.", []string{"He said he was “shocked”… but not surprised.", "It was … odd."}},
		{"bracketed omission", "“The law [...] is clear,” the judge wrote.", []string{"“The law [...] is clear,” the judge wrote."}},
		{"dashes", "The firm — founded in 1998 — employs 3,500 people. The Senate – and the House – agreed. The vote was 52-48.",
			[]string{"The firm — founded in 1998 — employs 3,500 people.", "The Senate – and the House – agreed.", "The vote was 52-48."}},
		{"period then dash continues", "He visited the U.S. — and Canada — last year.", []string{"He visited the U.S. — and Canada — last year."}},
		{"Yahoo!", "He works for Yahoo! Inc. and Jeopardy! fans love it.", []string{"He works for Yahoo! Inc. and Jeopardy! fans love it."}},
		{"double punctuation", "Is it true? Yes! Really?! Absolutely!!! OK.", []string{"Is it true?", "Yes!", "Really?!", "Absolutely!!!", "OK."}},
		{"no space after question mark", "What?No way. Ouch!It hurt.", []string{"What?", "No way.", "Ouch!", "It hurt."}},
		{"lower-case dotted abbreviation", "The nurse gave him the i.v. in his vein. She gave him the i.v. It was a great I.V. that she gave him. She gave him the I.V. It was night.",
			[]string{"The nurse gave him the i.v. in his vein.", "She gave him the i.v.", "It was a great I.V. that she gave him.", "She gave him the I.V.", "It was night."}},
		{"footnote after period", "Saint Maximus (died 250) is a Christian saint and martyr.[1] The emperor Decius published a decree.[2]",
			[]string{"Saint Maximus (died 250) is a Christian saint and martyr.[1]", "The emperor Decius published a decree.[2]"}},
		{"street before possessive", "I live at 123 Main St. My neighbor lives at 125 Main St. It is quiet.", []string{"I live at 123 Main St.", "My neighbor lives at 125 Main St.", "It is quiet."}},
		{"units", "He ran 5 km. It took 30 min. He was tired.", []string{"He ran 5 km.", "It took 30 min.", "He was tired."}},
		{"dotted prefix", "P.S. I love you. N.B. The office is closed.", []string{"P.S. I love you.", "N.B. The office is closed."}},
		{"quotation and parenthesis", "\"Dinah'll miss me very much to-night, I should think!\" (Dinah was the cat.) \"I hope they'll remember her saucer of milk at tea-time. Dinah, my dear, I wish you were down here with me!\"",
			[]string{"\"Dinah'll miss me very much to-night, I should think!\"", "(Dinah was the cat.)", "\"I hope they'll remember her saucer of milk at tea-time.", "Dinah, my dear, I wish you were down here with me!\""}},
		{"exclamation between dashes", "Mix it, put it in the oven, and -- voila! -- you have cake. Some can be -- if I may say so? -- a bit questionable.",
			[]string{"Mix it, put it in the oven, and -- voila! -- you have cake.", "Some can be -- if I may say so? -- a bit questionable."}},
		{"Ph.D.", "He earned a Ph.D. in physics. She has a Ph.D. He then joined NASA.", []string{"He earned a Ph.D. in physics.", "She has a Ph.D.", "He then joined NASA."}},
		{"agency initials", "The F.B.I. said the A.I. tool was safe. It was wrong about the F.B.I. The agency apologized.",
			[]string{"The F.B.I. said the A.I. tool was safe.", "It was wrong about the F.B.I.", "The agency apologized."}},
		{"p.m. before a conjunction", "The vote was scheduled for 2 p.m. But it was delayed.", []string{"The vote was scheduled for 2 p.m.", "But it was delayed."}},
		{"court case", "The case is U.S. v. Smith, No. 12-345. Smith v. Jones (1990) is older.", []string{"The case is U.S. v. Smith, No. 12-345.", "Smith v. Jones (1990) is older."}},
		{"copyright line", "Copyright 2017 The Associated Press. All rights reserved.", []string{"Copyright 2017 The Associated Press.", "All rights reserved."}},
		{"file photo caption", "FILE PHOTO: Russian President Vladimir Putin attends a meeting in Moscow, Russia, July 31, 2017. REUTERS/Sergei Karpukhin/File Photo",
			[]string{"FILE PHOTO: Russian President Vladimir Putin attends a meeting in Moscow, Russia, July 31, 2017.", "REUTERS/Sergei Karpukhin/File Photo"}},
		{"quotation and attribution", "“It’s over,” said Smith. “We lost.” He said: \"I am not a crook.\" He resigned.",
			[]string{"“It’s over,” said Smith.", "“We lost.”", "He said: \"I am not a crook.\"", "He resigned."}},
		{"reporting credit", "Prices rose. (Reporting by Jane Doe; Editing by John Smith)", []string{"Prices rose.", "(Reporting by Jane Doe; Editing by John Smith)"}},
	})
}

func TestSplitLayout(t *testing.T) {
	runCases(t, []splitCase{
		{"headline then body", "755 US diplomats ousted\nRussian President Vladimir Putin has announced that 755 US diplomats would have to leave.",
			[]string{"755 US diplomats ousted", "Russian President Vladimir Putin has announced that 755 US diplomats would have to leave."}},
		{"headline paragraph", "\n755 US diplomats ousted\n\nRussia said so.", []string{"755 US diplomats ousted", "Russia said so."}},
		{"kicker and headline in a later paragraph", "RUSSIA SANCTIONS\n\nBREAKING NEWS\nPutin orders 755 US diplomats out\nMOSCOW — Russia said on Sunday.",
			[]string{"RUSSIA SANCTIONS", "BREAKING NEWS", "Putin orders 755 US diplomats out", "MOSCOW — Russia said on Sunday."}},
		{"subheading between paragraphs of lines", "The bill was passed.\nSanctions\nThe House of Representatives voted overwhelmingly to impose harsh sanctions.",
			[]string{"The bill was passed.", "Sanctions", "The House of Representatives voted overwhelmingly to impose harsh sanctions."}},
		{"hard-wrapped paragraph", "Russian President Vladimir Putin said on Sunday that the United States would\nhave to cut 755 diplomatic and technical staff in Russia, in response to\nsanctions approved by the U.S. Congress. The move was expected.\nPutin said Russia would retaliate.",
			[]string{"Russian President Vladimir Putin said on Sunday that the United States would\nhave to cut 755 diplomatic and technical staff in Russia, in response to\nsanctions approved by the U.S. Congress.", "The move was expected.", "Putin said Russia would retaliate."}},
		{"hard wrap before capitalised name", "US Secretary of State Rex Tillerson met Russian Foreign Minister Sergei\nLavrov in Manila on Sunday, the State Department said in a statement\nafter the talks ended.",
			[]string{"US Secretary of State Rex Tillerson met Russian Foreign Minister Sergei\nLavrov in Manila on Sunday, the State Department said in a statement\nafter the talks ended."}},
		{"hard wrap after abbreviation", "The letter was signed by Sen.\nJohn Smith and others.", []string{"The letter was signed by Sen.\nJohn Smith and others."}},
		{"numbered list lines", "Top three:\n1. Smith\n2. Jones\n3. Brown", []string{"Top three:", "1. Smith", "2. Jones", "3. Brown"}},
		{"dash list lines", "Key points:\n- Sanctions on energy\n- Travel bans\n- Asset freezes", []string{"Key points:", "- Sanctions on energy", "- Travel bans", "- Asset freezes"}},
		{"bullet list lines", "• First point\n• Second point that wraps\n  onto a second line\n• Third point", []string{"• First point", "• Second point that wraps\n  onto a second line", "• Third point"}},
		{"list items with sentences", "The plan has three parts. 1. Cut taxes. 2. Raise spending. 3. Balance the budget.",
			[]string{"The plan has three parts.", "1. Cut taxes.", "2. Raise spending.", "3. Balance the budget."}},
		{"inline lists", "(1) The first (2) The second (3) The third", []string{"(1) The first", "(2) The second", "(3) The third"}},
		{"lettered list with parentheses", "a) first option b) second option c) third option", []string{"a) first option", "b) second option", "c) third option"}},
		{"all-capitals headline", "PUTIN EXPELS 755 US DIPLOMATS\nRussian President Vladimir Putin has announced that 755 US diplomats would have to leave.",
			[]string{"PUTIN EXPELS 755 US DIPLOMATS", "Russian President Vladimir Putin has announced that 755 US diplomats would have to leave."}},
		{"title-case headline, byline, dateline", "Putin Orders 755 U.S. Diplomats Out Of Russia\nBy JANE DOE, Associated Press\nMOSCOW (AP) — Russia said on Sunday it would act.",
			[]string{"Putin Orders 755 U.S. Diplomats Out Of Russia", "By JANE DOE, Associated Press", "MOSCOW (AP) — Russia said on Sunday it would act."}},
		{"byline with a bar", "Russia orders U.S. to cut diplomatic staff by 755\nBy Denis Pinchuk | MOSCOW\nRussian President Vladimir Putin said on Sunday the United States would have to cut staff.",
			[]string{"Russia orders U.S. to cut diplomatic staff by 755", "By Denis Pinchuk | MOSCOW", "Russian President Vladimir Putin said on Sunday the United States would have to cut staff."}},
		{"bullets after a blank line", "Here are the key points:\n\n* Point one\n* Point two", []string{"Here are the key points:", "* Point one", "* Point two"}},
		{"wrapped line starting with a dash", "The vote, which came after weeks of debate in the chamber and a late\n- and unexpected - change of heart, passed.\nThe Senate -\n— and the House — agreed.",
			[]string{"The vote, which came after weeks of debate in the chamber and a late\n- and unexpected - change of heart, passed.", "The Senate -\n— and the House — agreed."}},
		{"wrapped headline", "Russian President orders 755 US diplomats\nto leave the country by September\n\nThe Kremlin said so.",
			[]string{"Russian President orders 755 US diplomats\nto leave the country by September", "The Kremlin said so."}},
		{"question then answer on lines", "Why?\nBecause.", []string{"Why?", "Because."}},
		{"windows line ends", "Headline here\r\nThe body starts on this line.\r\n\r\nSecond paragraph.\r\nThird line.", []string{"Headline here", "The body starts on this line.", "Second paragraph.", "Third line."}},
		{"two wrapped lines of the same length", "Putin met US President\nDonald Trump in Hamburg.", []string{"Putin met US President\nDonald Trump in Hamburg."}},
		{"old mac line ends", "First paragraph.\r\rSecond paragraph\rwraps here.", []string{"First paragraph.", "Second paragraph\rwraps here."}},
		{"odd white space", "\ufeff\u00a0Some text.\u00a0 More text.\u200b Even more.\t\x00", []string{"Some text.", "More text.", "Even more."}},
	})
}

// TestParagraphs checks paragraph numbers: any line holding only white
// space (NBSP, zero-width space, tabs) separates paragraphs, and several
// blank lines are one break.
func TestParagraphs(t *testing.T) {
	in := "One.\n\n\nTwo a. Two b.\n \u00a0\t\n\u200b\r\nThree.\r\rFour.\nStill four."
	got := Split(in)
	checkInvariants(t, in, got)
	want := []struct {
		text string
		para int
	}{{"One.", 0}, {"Two a.", 1}, {"Two b.", 1}, {"Three.", 2}, {"Four.", 3}, {"Still four.", 3}}
	if len(got) != len(want) {
		t.Fatalf("Split(%q): got %q, want %d sentences", in, texts(got), len(want))
	}
	for i, w := range want {
		if got[i].Text != w.text || got[i].Paragraph != w.para || got[i].Index != i {
			t.Errorf("sentence %d: got %q paragraph %d index %d, want %q paragraph %d index %d",
				i, got[i].Text, got[i].Paragraph, got[i].Index, w.text, w.para, i)
		}
	}
}

// TestQuoteContext checks the place of each sentence in quotations.
func TestQuoteContext(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []Quote
	}{
		{"none", "He left. She stayed.", []Quote{QuoteNone, QuoteNone}},
		{"scare quotes", "He called it “absurd”. It was not.", []Quote{QuoteWhole, QuoteNone}},
		{"three sentences", "Putin said: “We waited. It will not be soon. We will respond.” Then he left.",
			[]Quote{QuoteOpen, QuoteInside, QuoteClose, QuoteNone}},
		{"straight quotes", "\"We waited. It will not be soon. We will respond,\" Putin said.", []Quote{QuoteOpen, QuoteInside, QuoteClose}},
		{"single quotes", "‘We will win,’ he said. ‘Nobody can stop us.’", []Quote{QuoteWhole, QuoteWhole}},
		{"interrupted quotation", "“We are ready,” he said, “and we will act. Nothing will stop us.”", []Quote{QuoteOpen, QuoteClose}},
		{"nested quotation", "“He told me ‘never again.’ I believed him. We all did,” she said.", []Quote{QuoteOpen, QuoteInside, QuoteClose}},
		{"apostrophes are not quotes", "Clinton’s team said the ’90s were better. Russia’s role is clear.", []Quote{QuoteNone, QuoteNone}},
		{"closing a quotation opened before the paragraph", "It will not be soon.” Then he left.", []Quote{QuoteClose, QuoteNone}},
		{"quotation left open at the paragraph end", "He said: “We will fight.\n\n“We will win.”", []Quote{QuoteOpen, QuoteWhole}},
		{"guillemets", "«Nous partons. Demain.» Il est parti.", []Quote{QuoteOpen, QuoteClose, QuoteNone}},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			got := Split(c.in)
			checkInvariants(t, c.in, got)
			if len(got) != len(c.want) {
				t.Fatalf("Split(%q): got %q, want %d sentences", c.in, texts(got), len(c.want))
			}
			for i, w := range c.want {
				if got[i].Quote != w {
					t.Errorf("sentence %d %q: got quote %s, want %s", i, got[i].Text, got[i].Quote, w)
				}
			}
		})
	}
}
