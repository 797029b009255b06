// Command tinnhiem-verify checks a vote's public record (docs/RECORD.md) from the record alone:
//
//	tinnhiem-verify [-en] [-json] [-doc NAME=PATH ...] RECORD
//
// It imports nothing of the server — only internal/record and, through it, internal/protocol and the
// group library — so that an observer can read everything it does. Exit status 0 only when every
// check passes, 1 when the record fails one, 2 on bad arguments.
package main

import (
	"os"

	"tinnhiem/internal/record"
)

func main() {
	os.Exit(record.Command("tinnhiem-verify", os.Args[1:], os.Stdout, os.Stderr))
}
