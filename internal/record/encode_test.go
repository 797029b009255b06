package record_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tinnhiem/internal/record"
)

func TestEncodeIsDeterministic(t *testing.T) {
	v, data := small.get(t)
	again, err := record.Encode(v.Record)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatal("two encodings of the same record differ")
	}
	// The same record filled in another order gives the same bytes.
	r, _ := record.Decode(data)
	shuffle := rand.New(rand.NewPCG(1, 2))
	e := r.Encrypted
	for _, s := range []func(i, j int){
		func(i, j int) { e.Ballots[i], e.Ballots[j] = e.Ballots[j], e.Ballots[i] },
		func(i, j int) { e.Certifications[i], e.Certifications[j] = e.Certifications[j], e.Certifications[i] },
		func(i, j int) {
			e.Ceremony.Round1[i], e.Ceremony.Round1[j] = e.Ceremony.Round1[j], e.Ceremony.Round1[i]
		},
		func(i, j int) { r.Documents[i], r.Documents[j] = r.Documents[j], r.Documents[i] },
	} {
		shuffle.Shuffle(3, s)
	}
	slices.Reverse(e.Spoiled)
	slices.Reverse(e.CredentialLists)
	slices.Reverse(e.Ceremony.Members)
	out, err := record.Encode(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, out) {
		t.Fatal("the record's lists in another order give other bytes")
	}
	if !bytes.HasSuffix(data, []byte("}\n")) || bytes.Count(data, []byte("\n")) != 1 {
		t.Fatal("a record is one line of JSON and a newline")
	}
}

func TestDecodeRefuses(t *testing.T) {
	_, data := small.get(t)
	s := string(data)
	cases := []struct {
		name, in, want string
	}{
		{"unknown field", strings.Replace(s, `"mode":`, `"extra":1,"mode":`, 1), "unknown field"},
		{"missing field", strings.Replace(s, `"codes_voided":`, `"codes_voided_x":`, 1), "codes_voided"},
		{"repeated field", strings.Replace(s, `"mode":"encrypted"`, `"mode":"encrypted","mode":"plain"`, 1), "repeated field"},
		{"key of another case", strings.Replace(s, `"mode":`, `"Mode":`, 1), "unknown field"},
		{"null object", regexp.MustCompile(`"figures":\{[^{}]*\}`).ReplaceAllString(s, `"figures":null`), "figures: an object is expected"},
		{"another format", strings.Replace(s, `"format":"tinnhiem-record"`, `"format":"helios"`, 1), "not a tinnhiem-record file"},
		{"version 2", strings.Replace(s, `"version":1,"mode"`, `"version":2,"extra":true,"mode"`, 1), "version 2 is not supported"},
		{"trailing data", s + "{}", "after"},
		{"repeated key in a message", strings.Replace(s, `"ballot":{"version":1,`, `"ballot":{"version":1,"version":1,`, 1), "repeated in an object"},
		{"a number that is not an integer", strings.Replace(s, `"ballot":{"version":1,`, `"ballot":{"version":1.0,`, 1), "not an integer"},
		{"invalid UTF-8", strings.Replace(s, `"Quốc hội`, "\"Qu\xffc hội", 1), "UTF-8"},
		{"not JSON", "PK\x03\x04", "invalid"},
	}
	for _, c := range cases {
		_, err := record.Decode([]byte(c.in))
		if err == nil || !errors.Is(err, record.ErrFormat) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	_, data := small.get(f)
	_, p := plain.get(f)
	f.Add(data)
	f.Add(p)
	f.Add([]byte(`{"format":"tinnhiem-record","version":1}`))
	f.Add([]byte(`{"format":"tinnhiem-record","version":2}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := record.Decode(b)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes to a record that decodes to the same encoding, and verifies
		// without panicking.
		out, err := record.Encode(r)
		if err != nil {
			return
		}
		r2, err := record.Decode(out)
		if err != nil {
			t.Fatalf("a re-encoded record does not decode: %v", err)
		}
		out2, _ := record.Encode(r2)
		if !bytes.Equal(out, out2) {
			t.Fatal("encode(decode(encode(r))) differs from encode(r)")
		}
		record.Verify(r, nil, record.Options{})
	})
}
