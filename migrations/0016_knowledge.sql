-- Knowledge base (issue 7): articles with one translation per language (en, de, nb). Each translation keeps a
-- tsvector in the stemming configuration of its own language (title weighted above body), so a German query is
-- stemmed as German against German text ("Rücksendungen" finds "Rücksendung").
CREATE TABLE kb_articles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,99}$'),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
  tags text[] NOT NULL DEFAULT '{}',
  -- Where the article came from, e.g. ('community_answer', <answer id>); null when written directly.
  source_type text,
  source_id uuid,
  created_by uuid,
  updated_by uuid,
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, slug)
);
CREATE INDEX kb_articles_account ON kb_articles (account_id, status, visibility);

CREATE TABLE kb_translations (
  article_id uuid NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  lang text NOT NULL CHECK (lang IN ('en', 'de', 'nb')),
  title text NOT NULL,
  -- Markdown (a small safe subset) or plain text; rendered and sanitised on the way out.
  body text NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (
    CASE lang
      WHEN 'de' THEN setweight(to_tsvector('german', title), 'A') || setweight(to_tsvector('german', body), 'B')
      WHEN 'nb' THEN setweight(to_tsvector('norwegian', title), 'A') || setweight(to_tsvector('norwegian', body), 'B')
      ELSE setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
    END
  ) STORED,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, lang)
);
CREATE INDEX kb_translations_tsv ON kb_translations USING gin (tsv);
CREATE INDEX kb_translations_account ON kb_translations (account_id, lang);
