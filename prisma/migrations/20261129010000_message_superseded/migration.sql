-- A user message answered together with a newer one (the reply answers the latest state).
ALTER TYPE "MessageStatus" ADD VALUE 'superseded';
