-- Issue 13: a macro has a language (en, de, nb; null = any), so the composer offers the conversation's language first
-- and warns before a German macro goes into an English reply.
ALTER TABLE macros ADD COLUMN language text CHECK (language IN ('en', 'de', 'nb'));
