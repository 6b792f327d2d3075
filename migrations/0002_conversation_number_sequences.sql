-- Conversation numbers per account come from a sequence per account instead of a counter row: nextval() takes no
-- row lock, so concurrent creates in one account no longer queue behind each other (numbers may have gaps after a
-- rolled-back create, as in every help desk).
CREATE FUNCTION earshot_number_seq(acc uuid) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT 'conversation_number_' || replace(acc::text, '-', '') $$;

CREATE FUNCTION earshot_create_number_seq(acc uuid, start_at integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I START WITH %s', earshot_number_seq(acc), greatest(start_at, 1));
END $$;

CREATE FUNCTION earshot_next_conversation_number(acc uuid) RETURNS integer LANGUAGE sql AS
  $$ SELECT nextval(earshot_number_seq(acc)::regclass)::integer $$;

SELECT earshot_create_number_seq(id, next_conversation_number) FROM accounts;

-- The counter column is replaced by the sequences.
ALTER TABLE accounts DROP COLUMN next_conversation_number;
