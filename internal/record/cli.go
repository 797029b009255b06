package record

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Exit statuses of the verify command.
const (
	ExitOK      = 0 // every check passed
	ExitInvalid = 1 // the record fails a check
	ExitUsage   = 2 // bad arguments, or a file cannot be read
)

const cliUsage = `Cách dùng / usage: %s [-en] [-json] [-doc TÊN=TỆP ...] BẢN_GHI

Kiểm tra bản ghi công khai của một cuộc bỏ phiếu (docs/RECORD.md) mà không cần tin máy chủ: chữ ký,
chứng minh, tổng mã hóa, giải mã, số phiếu, tỷ lệ, mức, hệ quả, chứng nhận và tài liệu.
Verifies a vote's public record without trusting the server. Exit status 0 only when all checks pass.

  -en            báo cáo bằng tiếng Anh / report in English
  -json          báo cáo dạng JSON / the report as JSON
  -doc TÊN=TỆP   kiểm SHA-256 của tài liệu đã công bố TÊN (lặp lại được; "-doc TỆP" dùng tên tệp)
                 check a published document's SHA-256 (repeatable; "-doc FILE" uses the file's name)
`

type docFlags map[string]string

func (d docFlags) String() string { return "" }

func (d docFlags) Set(s string) error {
	name, path, ok := strings.Cut(s, "=")
	if !ok {
		name, path = filepath.Base(s), s
	}
	if name == "" || path == "" {
		return fmt.Errorf("-doc NAME=PATH")
	}
	d[name] = path
	return nil
}

// Command runs the verify command (tinnhiem-verify, tinnhiem verify) with its arguments: it reads the
// record and the documents, verifies, writes the report on stdout and returns the exit status.
func Command(name string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	en := fs.Bool("en", false, "report in English")
	asJSON := fs.Bool("json", false, "the report as JSON")
	docs := docFlags{}
	fs.Var(docs, "doc", "NAME=PATH of a published document")
	usage := func() int {
		fmt.Fprintf(stderr, cliUsage, name)
		return ExitUsage
	}
	if err := fs.Parse(args); err != nil {
		if err != flag.ErrHelp {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
		}
		return usage()
	}
	if fs.NArg() != 1 {
		return usage()
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return ExitUsage
	}
	given := map[string][]byte{}
	for n, p := range docs {
		b, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			return ExitUsage
		}
		given[n] = b
	}
	opts := Options{Lang: LangVI}
	if *en {
		opts.Lang = LangEN
	}
	rep := DecodeAndVerify(data, given, opts)
	if *asJSON {
		out, _ := json.MarshalIndent(rep, "", "  ")
		fmt.Fprintln(stdout, string(out))
	} else {
		fmt.Fprint(stdout, rep.String())
	}
	if !rep.OK() {
		return ExitInvalid
	}
	return ExitOK
}
