-- Where the machine's reading of an attribution lies in the article: the
-- words naming the source (possibly in an earlier sentence, for carried
-- over content), the cue and the sentence's content, as a JSON array of
-- spans, [{"role":"source","start":12,"end":25}, …], with start and end
-- in code points of the body of the sentence's revision, like the
-- sentences' own offsets; and the reader's probability that the sentence
-- holds attributed content (0: not known). Only the machine's reading has
-- them: a checker's edit clears both. Existing attributions have none.

-- +goose Up
ALTER TABLE attributions ADD COLUMN spans text NOT NULL DEFAULT '[]';
ALTER TABLE attributions ADD COLUMN confidence double precision NOT NULL DEFAULT 0 CHECK (confidence >= 0 AND confidence <= 1);

-- +goose Down
ALTER TABLE attributions DROP COLUMN confidence;
ALTER TABLE attributions DROP COLUMN spans;
