package newsgen

// The word lists the generator draws from. People and companies are
// invented.

var firstNames = []string{
	"Maria", "John", "Elena", "David", "Aisha", "Pavel", "Sarah", "Kenji", "Fatima", "Michael",
	"Olga", "James", "Priya", "Carlos", "Anna", "Wei", "Thomas", "Grace", "Ahmed", "Laura",
}

var lastNames = []string{
	"Alvarez", "Okafor", "Petrov", "Lindqvist", "Nakamura", "Haddad", "Brennan", "Kowalski",
	"Moreau", "Castellano", "Whitfield", "Osei", "Ivanova", "Duarte", "Schneider", "Rahman",
	"O’Connell", "McAllister", "Varga", "Thornton",
}

var titles = []string{
	"Sen.", "Rep.", "Gov.", "Dr.", "Prof.", "Gen.", "Lt. Col.", "Mr.", "Ms.", "Mrs.", "Sgt.", "Capt.",
}

var roles = []string{
	"U.S. Secretary of State", "Russian Foreign Minister", "U.N. Secretary-General",
	"European Commission President", "Federal Reserve Chair", "Defense Secretary",
	"Chief Executive", "White House spokesperson", "U.K. Prime Minister", "Kremlin spokesman",
}

var appositions = []string{
	"a spokesperson for the ministry", "the company’s chief financial officer",
	"an analyst at Northbridge Capital", "a professor of economics at Lakeside University",
	"the mayor of the city", "a senior U.S. official", "a lawyer for the family",
}

var companyNames = []string{
	"Northwind", "Acme", "Bluestone", "Harbor Lane", "Meridian", "Solara", "Crestview", "Ironbridge",
}

var companySuffixes = []string{"Inc.", "Corp.", "Ltd.", "Co.", "Group", "Holdings"}

var countries = []string{
	"Russia", "China", "the U.S.", "the U.K.", "Germany", "France", "Ukraine", "Japan", "Brazil",
	"India", "the European Union", "Canada",
}

var verbs = []string{
	"would impose", "had rejected", "was considering", "planned to lift", "had approved",
	"would delay", "could block", "had criticized", "would expand", "was reviewing",
}

var topics = []string{
	"new sanctions", "the trade agreement", "tariffs on steel imports", "the budget proposal",
	"the ceasefire", "interest rates", "the investigation", "the election results",
	"energy exports", "the pipeline project", "the climate package", "the peace talks",
}

var headSubjects = []string{
	"Russia", "China", "Washington", "Moscow", "Germany", "France", "Ukraine", "Japan", "Brazil",
	"India", "EU", "Canada", "Senate", "Fed", "Kremlin",
}

var headVerbs = []string{"weighs", "rejects", "backs", "delays", "expands", "blocks"}

var headTails = []string{
	"as talks stall", "after vote", "amid protests", "despite warnings", "in surprise move", "",
}

var datelines = []string{
	"MOSCOW", "WASHINGTON", "LONDON", "NEW YORK", "BRUSSELS", "BEIJING", "PARIS", "BERLIN",
	"TOKYO", "KYIV", "NAIROBI", "SAO PAULO", "GENEVA",
}

var agencies = []string{"Reuters", "AP", "AFP"}

var agenciesLong = []string{
	"U.S. Department of Justice", "Federal Bureau of Investigation",
	"Securities and Exchange Commission", "Federal Trade Commission",
}

var agenciesShort = []string{"DoJ", "FBI", "SEC", "FTC"}

var sources = []string{
	"U.S. intelligence agencies", "two people familiar with the matter", "a report by the U.N.",
	"data from the Commerce Department", "a statement from Sen. Brennan’s office",
	"documents seen by Reuters", "the ministry",
}

var institutions = []string{
	"Senate", "House of Representatives", "European Parliament", "U.N. Security Council",
	"Bundestag", "State Duma", "city council",
}

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

var months = []string{"Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."}

var fullMonths = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

var places = []string{
	"the capital", "the northern city of Kharkiv", "St. Petersburg", "the port of Odesa",
	"Washington, D.C., and Baltimore", "a village near the border",
}

var casualties = []string{"killed", "injured", "evacuated", "detained", "displaced"}

var quoteOpeners = []string{
	"We will not accept", "Nobody expected", "This is about", "We waited a long time for",
	"Our position on", "The public deserves the truth about", "I have no doubt about",
	"There is no alternative to", "We are deeply concerned about",
}

var quoteTails = []string{
	"at this point", "and we will respond", "in any form", "for the people of this country",
	"whatever happens next", "and that has not changed", "after everything that happened",
}

var speechTags = []string{"said", "told reporters", "said in a statement", "added", "wrote on social media"}

var questions = []string{
	"Will the deal hold?", "Why does it matter?", "What happens next?", "Who will pay for it?",
}

var shortQuestions = []string{"Why now", "Who benefits", "What did they expect", "Is this the end"}

var scareWords = []string{"absurd", "a disgrace", "historic", "a betrayal", "premature"}
