package attribution

import "strings"

// firstNameGender maps common English first names to the gender a later
// "he" or "she" agrees with. A name missing here is simply unknown: both
// pronouns may then resolve to it.
var firstNameGender = func() map[string]byte {
	m := map[string]byte{}
	for _, n := range strings.Fields(`james john robert michael william david richard joseph thomas charles
		christopher daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george
		timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott
		brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam
		nathan henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry gerald
		harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert
		willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis barack
		bernie bill ted jeb marco mitch chuck newt rand rick mike ben chris tim tom jim bob dick al barney
		hillary harry lindsey reince rudy vladimir bashar xi recep benjamin emmanuel justin boris nigel
		dan steve jon joel jimmy ronald gerald lyndon dwight franklin abraham ulysses woodrow herbert
		jared eric corey tucker sean rush glenn mitt paul john mike ken marc howard martin`) {
		m[n] = 'm'
	}
	for _, n := range strings.Fields(`mary patricia jennifer linda elizabeth barbara susan jessica sarah karen
		nancy lisa betty margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa
		deborah stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela
		nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria heather diane
		virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea
		hannah martha jacqueline frances gloria ann teresa kathryn sara janice jean alice madison doris abigail
		julia judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie
		isabella charlotte rose alexis kayla hillary elizabeth michelle melania ivanka chelsea huma debbie
		nikki carly sarah condoleezza madeleine nancy kamala elizabeth tulsi kirsten dianne barbara claire
		theresa angela marine hilary kellyanne hope donna katrina dana megyn greta rachel rosie oprah`) {
		m[n] = 'f'
	}
	return m
}()
