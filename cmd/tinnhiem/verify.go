package main

import (
	"errors"
	"io"

	"tinnhiem/internal/record"
)

// errRecordInvalid is verifyCmd's error when the record fails a check (the report says which).
var errRecordInvalid = errors.New("bản ghi không hợp lệ / the record does not verify")

// errVerifyUsage is verifyCmd's error on bad arguments (its usage is already written).
var errVerifyUsage = errors.New("verify: xem cách dùng ở trên / see the usage above")

// verifyCmd is `tinnhiem verify [-en] [-json] [-doc NAME=PATH ...] RECORD`: the same verifier as
// cmd/tinnhiem-verify (internal/record), for those who have the server's binary. It needs no
// configuration and opens no database.
func verifyCmd(args []string, stdout, stderr io.Writer) error {
	switch record.Command("tinnhiem verify", args, stdout, stderr) {
	case record.ExitOK:
		return nil
	case record.ExitInvalid:
		return errRecordInvalid
	default:
		return errVerifyUsage
	}
}
