package attribution

import "testing"

// TestDocumentSource checks the speaker and medium of "according to"
// followed by a document: the author it names is the speaker and the
// document the medium; where it appeared or who passed it on is the
// medium. The second half must read as before: phrases that name no
// author, and sentences without the cue.
func TestDocumentSource(t *testing.T) {
	tests := []struct {
		name                 string
		text                 string
		speaker, cue, medium string // medium "" demands none
		zero                 bool
	}{
		{"figures published by",
			"Spending on roads rose by a third last year, according to figures published by the city's finance department.",
			"the city's finance department", "according to", "figures", false},
		{"a report by",
			"According to a report by the Audit Office, the project is two years late.",
			"the Audit Office", "according to", "a report", false},
		{"data from",
			"According to data from the central bank, lending to households fell in May.",
			"the central bank", "according to", "data", false},
		{"a statement from",
			"According to a statement from the family, he died peacefully at home.",
			"the family", "according to", "a statement", false},
		{"possessive",
			"According to the ministry's latest figures, 12,000 jobs were lost.",
			"the ministry", "according to", "latest figures", false},
		{"possessive name",
			"According to Eurostat’s figures, prices rose 3% in the euro area.",
			"Eurostat", "according to", "figures", false},
		{"participle, date, then by",
			"Unemployment fell to 4%, according to statistics released on Tuesday by the labour office.",
			"the labour office", "according to", "statistics", false},
		{"what a survey counts stays with the document",
			"According to a survey of 2,000 voters carried out by Ipsos, the race is tied.",
			"Ipsos", "according to", "a survey of 2,000 voters", false},
		{"the owner after of",
			"According to figures of the national statistics office, prices rose 3% in May.",
			"the national statistics office", "according to", "figures", false},
		{"a clause without a relative word",
			"According to figures the ministry released on Monday, exports fell for a third month.",
			"the ministry", "according to", "figures", false},
		{"an author who is a person",
			"According to an analysis by economist Jane Roe, the tax raises little money.",
			"Jane Roe", "according to", "an analysis", false},
		{"citing",
			"The bank cut its growth forecast, citing figures compiled by the treasury.",
			"the treasury", "citing", "figures", false},
		{"a report in a newspaper is the medium",
			"According to a report in the Financial Times, the bank is looking for a buyer.",
			"a report", "according to", "the Financial Times", false},
		{"a study published in a journal",
			"According to a study published in the Lancet, the drug halves deaths.",
			"a study", "according to", "the Lancet", false},
		{"who obtained documents passed them on",
			"According to documents obtained by the BBC, the firm paid the officials.",
			"documents", "according to", "the BBC", false},
		{"an abbreviation in the author's name",
			"According to data from the U.S. Department of Education, student debt doubled.",
			"the U.S. Department of Education", "according to", "data", false},
		{"a report from a body",
			"According to a report from the Red Cross, the camp has no clean water.",
			"the Red Cross", "according to", "a report", false},
		{"a participle without an author",
			"Prices rose 3% last month, according to estimates released on Friday.",
			"estimates", "according to", "", false},

		{"a person", "According to the finance minister, the budget is balanced.",
			"the finance minister", "according to", "", false},
		{"people familiar with", "According to people familiar with the matter, the deal is close.",
			"people familiar with the matter", "according to", "", false},
		{"a body with a possessive", "According to the city's finance department, the deficit grew.",
			"the city's finance department", "according to", "", false},
		{"a document alone", "Exports fell by 3% in June, according to customs data.",
			"customs data", "according to", "", false},
		{"the report", "According to the report, the mine was unsafe.",
			"the report", "according to", "", false},
		{"a name ending in a document word", "According to the Bureau of Labor Statistics, wages rose.",
			"the Bureau of Labor Statistics", "according to", "", false},
		{"what a transcript records", "According to a transcript of the hearing, the judge objected twice.",
			"a transcript of the hearing", "according to", "", false},
		{"what estimates are of", "According to estimates of the damage, repairs will cost $2bn.",
			"estimates of the damage", "according to", "", false},
		{"a year after from", "According to data from 2019, the pay gap has narrowed.",
			"data from 2019", "according to", "", false},
		{"reports from a place", "According to reports from the front line, the town has fallen.",
			"reports from the front line", "according to", "", false},
		{"a place after a poll", "According to a poll in Iowa, the senator leads by six points.",
			"a poll", "according to", "", false},
		{"a person called a figure", "According to a senior figure in the party, the leader will resign.",
			"a senior figure", "according to", "", false},
		{"no cue", "Figures published on Monday show that unemployment fell.", "", "", "", true},
		{"no cue, a date", "Figures released by the ministry on Monday show a rise in exports.", "", "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Extract(article([]string{tc.text}))[0]
			if tc.zero {
				check(t, got, want{zero: true})
				return
			}
			if got.Speaker != tc.speaker || got.Cue != tc.cue || got.Medium != tc.medium {
				t.Errorf("got speaker %q, cue %q, medium %q; want %q, %q, %q", got.Speaker, got.Cue, got.Medium, tc.speaker, tc.cue, tc.medium)
			}
			if got.CarriedOver || got.From != 0 {
				t.Errorf("got carried over %v from %d, want stated in the sentence", got.CarriedOver, got.From)
			}
		})
	}
}
