-- The commune's published editions of the how-to cards (docs/cards.md). An edition is the whole set
-- of cards, kept as one JSON array (CardEdition in src/shared/catalogue/cards.ts); the highest edition
-- of a commune is its current one. No row: the first edition shipped with the app.
CREATE TABLE card_editions (
  commune_code TEXT NOT NULL REFERENCES communes(code),
  edition INTEGER NOT NULL,
  published_on TEXT NOT NULL,
  source TEXT NOT NULL,
  cards JSONB NOT NULL,
  published_by TEXT NOT NULL,
  published_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (commune_code, edition)
);
