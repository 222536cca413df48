"""Files of messages: one reader, one writer and one suffix table (txt, jsonl, csv, + .gz)."""
