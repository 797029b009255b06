package record_test

import (
	"bytes"
	"crypto/ed25519"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gtank/ristretto255"

	"tinnhiem/internal/protocol"
	"tinnhiem/internal/record"
	"tinnhiem/internal/record/recordtest"
)

// Every single tampering of a valid record is detected with a precise message: the check that
// fails, the place, the JSON path and the code.

// tampered copies a vote's record, applies f to the copy and verifies it (the vote's documents
// unless docs is given).
func tampered(t *testing.T, c *cached, f func(v *recordtest.Vote, r *record.Record), docs ...map[string][]byte) *record.Report {
	t.Helper()
	v, data := c.get(t)
	r, err := record.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	f(v, r)
	out, err := record.Encode(r)
	if err != nil {
		t.Fatal(err)
	}
	d := v.Documents
	if len(docs) > 0 {
		d = docs[0]
	}
	return record.DecodeAndVerify(out, d, record.Options{Lang: "vi"})
}

// wantFailure checks the first failure's check, JSON path prefix, code and message words.
func wantFailure(t *testing.T, rep *record.Report, check, field, code string, words ...string) {
	t.Helper()
	if rep.OK() || rep.Failure == nil {
		t.Fatalf("the tampered record verifies:\n%s", rep)
	}
	f := rep.Failure
	if f.Check != check || !strings.HasPrefix(f.Field, field) || f.Code != code {
		t.Fatalf("failure %s / %s / %s, want %s / %s… / %s\n%s", f.Check, f.Field, f.Code, check, field, code, rep)
	}
	text := rep.String()
	for _, w := range words {
		if !strings.Contains(text, w) {
			t.Fatalf("the report does not say %q:\n%s", w, text)
		}
	}
	for _, c := range rep.Checks {
		if c.Status == record.Failed && c.ID != check {
			t.Fatalf("check %s failed too", c.ID)
		}
	}
}

// edit decodes a protocol message into generic JSON, changes it, and encodes it back.
func edit(t *testing.T, raw json.RawMessage, f func(m map[string]any)) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// otherPoint returns P + G in hex: a valid point other than P.
func otherPoint(t *testing.T, p string) string {
	t.Helper()
	b, _ := hex.DecodeString(p)
	e, err := ristretto255.NewIdentityElement().SetCanonicalBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	e.Add(e, ristretto255.NewGeneratorElement())
	return hex.EncodeToString(e.Bytes())
}

func row(m map[string]any, i int) map[string]any { return m["rows"].([]any)[i].(map[string]any) }

// resign replaces a ballot by the same ballot re-signed under its credential (what a kiosk holding
// the code could do), with its new tracking code, keeping the list sorted.
func resign(t *testing.T, v *recordtest.Vote, r *record.Record, i int, f func(b *protocol.Ballot)) {
	t.Helper()
	b, err := protocol.ParseBallot(r.Encrypted.Ballots[i].Ballot)
	if err != nil {
		t.Fatal(err)
	}
	f(b)
	h := b.Hash()
	b.Signature = protocol.Sign(v.Credentials[b.Credential], h)
	raw, _ := b.MarshalJSON()
	r.Encrypted.Ballots[i] = record.CastBallot{BallotHash: hex.EncodeToString(h[:]), Ballot: raw}
	slices.SortFunc(r.Encrypted.Ballots, func(a, b record.CastBallot) int { return strings.Compare(a.BallotHash, b.BallotHash) })
}

func TestTamperBallotDropped(t *testing.T) {
	rep := tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		r.Encrypted.Ballots = slices.Delete(r.Encrypted.Ballots, 4, 5)
	})
	wantFailure(t, rep, "figures", "figures.ballots_cast", "count", "số phiếu điện tử ghi là 12 nhưng bản ghi có 11 phiếu")

	// With the figures edited to match, the sums give it away.
	rep = tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		r.Encrypted.Ballots = slices.Delete(r.Encrypted.Ballots, 4, 5)
		r.Figures.BallotsCast--
		r.Figures.BallotsReceived--
	})
	wantFailure(t, rep, "sums", "encrypted.sums[0]", "mismatch", "tổng mã hóa của người thứ 1", "không phải tích các bản mã của 11 phiếu")
}

func TestTamperBallotAdded(t *testing.T) {
	// A valid ballot cast with a spare credential (the server holding a slip it should have voided).
	add := func(v *recordtest.Vote, r *record.Record) {
		cred := v.Spare[0]
		choices := make([]int, len(r.Vote.Subjects))
		b, _, err := protocol.EncryptBallot(crand.Reader, v.Manifest, v.Credentials[cred], choices)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := b.MarshalJSON()
		h := b.Hash()
		r.Encrypted.Ballots = append(r.Encrypted.Ballots, record.CastBallot{BallotHash: hex.EncodeToString(h[:]), Ballot: raw})
	}
	rep := tampered(t, small, add)
	wantFailure(t, rep, "figures", "figures.ballots_cast", "count", "bản ghi có 13 phiếu")

	rep = tampered(t, small, func(v *recordtest.Vote, r *record.Record) {
		add(v, r)
		r.Figures.BallotsCast++
		r.Figures.BallotsReceived++
		r.Figures.BallotsIssued++
	})
	wantFailure(t, rep, "sums", "encrypted.sums[0]", "mismatch", "không phải tích các bản mã của 13 phiếu")

	// A ballot with a credential nobody listed.
	rep = tampered(t, small, func(v *recordtest.Vote, r *record.Record) {
		priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
		b, _, err := protocol.EncryptBallot(crand.Reader, v.Manifest, priv, make([]int, len(r.Vote.Subjects)))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := b.MarshalJSON()
		h := b.Hash()
		r.Encrypted.Ballots = append(r.Encrypted.Ballots, record.CastBallot{BallotHash: hex.EncodeToString(h[:]), Ballot: raw})
	})
	wantFailure(t, rep, "ballots", "encrypted.ballots[", "credential", "mã bỏ phiếu của phiếu không có trong các danh sách mã công khai")
}

func TestTamperBallotCiphertextAltered(t *testing.T) {
	rep := tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		b := &r.Encrypted.Ballots[6]
		b.Ballot = edit(t, b.Ballot, func(m map[string]any) { row(m, 1)["beta"] = otherPoint(t, row(m, 1)["beta"].(string)) })
	})
	wantFailure(t, rep, "ballots", "encrypted.ballots[6].ballot_hash", "mismatch", "phiếu thứ 7 (mã theo dõi", "không phải băm của phiếu")

	// The tracking code recomputed too: the credential's signature no longer holds.
	rep = tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		b, _ := protocol.ParseBallot(r.Encrypted.Ballots[6].Ballot)
		raw := edit(t, r.Encrypted.Ballots[6].Ballot, func(m map[string]any) { row(m, 1)["beta"] = otherPoint(t, row(m, 1)["beta"].(string)) })
		b, _ = protocol.ParseBallot(raw)
		h := b.Hash()
		r.Encrypted.Ballots[6] = record.CastBallot{BallotHash: hex.EncodeToString(h[:]), Ballot: raw}
		slices.SortFunc(r.Encrypted.Ballots, func(a, b record.CastBallot) int { return strings.Compare(a.BallotHash, b.BallotHash) })
	})
	wantFailure(t, rep, "ballots", "encrypted.ballots[", "signature", "chữ ký không hợp lệ")
}

func TestTamperBallotProofAltered(t *testing.T) {
	// Re-signed under its credential, so that only the proof is wrong: the kiosk cheated.
	rep := tampered(t, small, func(v *recordtest.Vote, r *record.Record) {
		resign(t, v, r, 3, func(b *protocol.Ballot) {
			s := &b.Rows[2].Proof[1].S
			s.Add(s, ristretto255.NewScalar().Add(ristretto255.NewScalar(), scalarOne()))
		})
	})
	wantFailure(t, rep, "ballots", "encrypted.ballots[", "proof", "rows[2].proof[1]: chứng minh không hợp lệ")
}

func scalarOne() *ristretto255.Scalar {
	b := make([]byte, 32)
	b[0] = 1
	s, _ := ristretto255.NewScalar().SetCanonicalBytes(b)
	return s
}

func TestTamperBallotSignatureAltered(t *testing.T) {
	rep := tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		b := &r.Encrypted.Ballots[9]
		b.Ballot = edit(t, b.Ballot, func(m map[string]any) {
			sig := []byte(m["signature"].(string))
			sig[10] ^= 1 // '0'..'f' stays hex after flipping the low bit of these digits
			if !strings.ContainsRune("0123456789abcdef", rune(sig[10])) {
				sig[10] = '0'
			}
			m["signature"] = string(sig)
		})
	})
	wantFailure(t, rep, "ballots", "encrypted.ballots[9].ballot.signature", "signature", "phiếu thứ 10", "chữ ký không hợp lệ")
}

func TestTamperCredentialAdded(t *testing.T) {
	rep := tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		l := &r.Encrypted.CredentialLists[0]
		*l = edit(t, *l, func(m map[string]any) {
			pub := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32)).Public().(ed25519.PublicKey)
			creds := append(m["credentials"].([]any), hex.EncodeToString(pub))
			slices.SortFunc(creds, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
			m["credentials"] = creds
		})
	})
	wantFailure(t, rep, "credentials", "encrypted.credential_lists[0].signature", "signature", "danh sách mã thứ 1", "chữ ký không hợp lệ")
}

func TestTamperPartialDecryptionChanged(t *testing.T) {
	// A member's submission with another D, unsigned: its signature fails.
	rep := tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		p := &r.Encrypted.PartialDecryptions[1]
		*p = edit(t, *p, func(m map[string]any) { row(m, 2)["d"] = otherPoint(t, row(m, 2)["d"].(string)) })
	})
	wantFailure(t, rep, "decryption", "encrypted.partial_decryptions[", "signature", "phần giải mã thứ", "chữ ký không hợp lệ")

	// Signed by the member but decrypted with a wrong share: the proof fails, naming the row.
	rep = tampered(t, small, func(v *recordtest.Vote, r *record.Record) {
		sums, _ := protocol.ParseSums(r.Encrypted.Sums)
		k := *v.Keys[0]
		k.SigningShare.Add(&k.SigningShare, scalarOne())
		p, err := protocol.PartialDecrypt(crand.Reader, &k, r.Vote.VoteID, sums)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := p.MarshalJSON()
		for i, x := range r.Encrypted.PartialDecryptions {
			if strings.Contains(string(x), k.Identifier.Hex()) {
				r.Encrypted.PartialDecryptions[i] = raw
			}
		}
	})
	wantFailure(t, rep, "decryption", "encrypted.partial_decryptions[", "proof", "rows[0]: chứng minh không hợp lệ")
}

func TestTamperCountEdited(t *testing.T) {
	rep := tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		r.Counts[1][2]++
	})
	wantFailure(t, rep, "decryption", "counts[1]", "mismatch", "số phiếu của người thứ 2", "không phải giá trị giải mã của tổng mã hóa")
}

// editTally changes the record's tally object.
func editTally(t *testing.T, r *record.Record, f func(tl *record.Tally)) {
	t.Helper()
	tl, err := record.ParseTally(r.Tally)
	if err != nil {
		t.Fatal(err)
	}
	f(tl)
	r.Tally, _ = json.Marshal(tl)
}

// rebuilt recomputes the record's tally after an edit, with its annotations as the server writes
// them (no resignations), and sets it and its hash in the record: a consistent forgery.
func rebuilt(t *testing.T, r *record.Record) {
	t.Helper()
	tl, err := record.BuildTally(&r.Vote, &r.Rules, record.TallyFigures{TotalDelegates: r.Figures.TotalDelegates,
		BallotsIssued: r.Figures.BallotsIssued, Valid: r.Figures.BallotsCast}, r.Counts)
	if err != nil {
		t.Fatal(err)
	}
	tl.NoConfidenceDue = []string{}
	for i := range tl.Subjects {
		if tl.Subjects[i].Band == r.Rules.NoConfidenceDueBand {
			tl.Subjects[i].Flags = append(tl.Subjects[i].Flags, record.FlagNoConfidenceDue)
			tl.NoConfidenceDue = append(tl.NoConfidenceDue, tl.Subjects[i].OfficialID)
		}
	}
	r.TallyHash = record.HashTally(tl)
	tl.TallyHash = r.TallyHash
	r.Tally, _ = json.Marshal(tl)
}

func TestTamperPercentageEdited(t *testing.T) {
	rep := tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		editTally(t, r, func(tl *record.Tally) { tl.Subjects[2].Percentages["low"] = "51.00" })
	})
	wantFailure(t, rep, "tally", "tally.subjects[2].percentages.low", "mismatch", "bản ghi ghi 51.00, tính lại được")
}

func TestTamperBandEdited(t *testing.T) {
	rep := tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		editTally(t, r, func(tl *record.Tally) {
			tl.Subjects[0].Band = "two_thirds_or_more"
			if tl.Subjects[0].Band == r.Rules.DefaultBand {
				tl.Subjects[0].Band = "none"
			}
		})
	})
	wantFailure(t, rep, "tally", "tally.subjects[0].band", "mismatch", "tally.subjects[0].band: bản ghi ghi")

	// Band, consequence and the tally hash all edited consistently: no certification is over it.
	rep = tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		r.Rules.Bands[0].Num, r.Rules.Bands[0].Den = 1, 10 // "two thirds" lowered to one tenth
		rebuilt(t, r)
	})
	wantFailure(t, rep, "certifications", "encrypted.certifications[0].tally_hash", "mismatch", "chứng nhận một kết quả khác")
}

func TestTamperBaseChanged(t *testing.T) {
	rep := tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		r.Vote.Base = record.BaseBallotsReceived
	})
	wantFailure(t, rep, "tally", "tally.percentage_base", "mismatch", `bản ghi ghi "total_delegates", tính lại được "ballots_received"`)

	// The tally recomputed on the other base too: the board certified the old one.
	rep = tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		r.Vote.Base = record.BaseBallotsReceived
		rebuilt(t, r)
	})
	wantFailure(t, rep, "certifications", "encrypted.certifications[0].tally_hash", "mismatch", "chứng nhận một kết quả khác")
}

func TestTamperCertificationForged(t *testing.T) {
	rep := tampered(t, small, func(v *recordtest.Vote, r *record.Record) {
		// Signed with a key that is not the member's ceremony key.
		k := *v.Keys[1]
		k.SigningSeed[0] ^= 1
		th, _ := hex.DecodeString(r.TallyHash)
		a, _ := hex.DecodeString(r.AuditAnchor[:64])
		var count uint64
		for _, c := range r.AuditAnchor[65:] {
			count = count*10 + uint64(c-'0')
		}
		cert := protocol.Certify(&k, r.Vote.VoteID, [32]byte(th), r.Vote.Base, [32]byte(a), count)
		raw, _ := cert.MarshalJSON()
		for i, x := range r.Encrypted.Certifications {
			if strings.Contains(string(x), k.Identifier.Hex()) {
				r.Encrypted.Certifications[i] = raw
			}
		}
	})
	wantFailure(t, rep, "certifications", "encrypted.certifications[", "signature", "chứng nhận thứ", "chữ ký không hợp lệ")
}

func TestTamperDocumentSwapped(t *testing.T) {
	v, _ := small.get(t)
	docs := map[string][]byte{}
	for n, b := range v.Documents {
		docs[n] = b
	}
	docs["nghi-quyet.pdf"] = append([]byte("a resolution with other figures "), docs["nghi-quyet.pdf"]...)
	rep := tampered(t, small, func(*recordtest.Vote, *record.Record) {}, docs)
	wantFailure(t, rep, "documents", "documents[", "mismatch", "tài liệu nghi-quyet.pdf", "không phải tài liệu đã công bố")

	// A document the record does not list.
	docs = map[string][]byte{"bien-ban-gia.pdf": []byte("forged minutes")}
	rep = tampered(t, small, func(*recordtest.Vote, *record.Record) {}, docs)
	wantFailure(t, rep, "documents", "documents", "unknown", "bản ghi không có tài liệu tên \"bien-ban-gia.pdf\"")
}

func TestTamperVersionChanged(t *testing.T) {
	rep := tampered(t, small, func(_ *recordtest.Vote, r *record.Record) { r.Version = 2 })
	wantFailure(t, rep, "format", "version", "version", "phiên bản 2 của định dạng tinnhiem-record không được hỗ trợ (trình kiểm tra này đọc phiên bản 1)")
	for _, c := range rep.Checks[1:] {
		if c.Status != record.NotRun && c.ID != "documents" {
			t.Fatalf("check %s ran after the version was refused", c.ID)
		}
	}
}

func TestTamperPaperTotalsRowChanged(t *testing.T) {
	// A row of the board's encrypted paper totals replaced: the member's signature fails.
	rep := tampered(t, paper, func(_ *recordtest.Vote, r *record.Record) {
		p := &r.Encrypted.PaperTotals[0]
		*p = edit(t, *p, func(m map[string]any) { row(m, 1)["beta"] = otherPoint(t, row(m, 1)["beta"].(string)) })
	})
	wantFailure(t, rep, "paper", "encrypted.paper_totals[0].signature", "signature", "tổng phiếu giấy thứ 1", "chữ ký không hợp lệ")

	// Other totals, signed by the member: the signature holds (nobody can check paper from the
	// record), but the sums decrypted by the board were of the original totals.
	rep = tampered(t, paper, func(v *recordtest.Vote, r *record.Record) {
		totals := make([][]uint64, len(r.Vote.Subjects))
		for i := range totals {
			totals[i] = make([]uint64, v.Manifest.Levels)
			totals[i][0] = uint64(r.Figures.Paper.Valid)
		}
		pt, _, err := protocol.EncryptPaperTotals(crand.Reader, v.Manifest, v.Keys[0], uint64(r.Figures.Paper.Valid), totals)
		if err != nil {
			t.Fatal(err)
		}
		r.Encrypted.PaperTotals[0], _ = pt.MarshalJSON()
	})
	wantFailure(t, rep, "sums", "encrypted.sums[0]", "mismatch", "và 1 bảng tổng phiếu giấy")

	// The number of paper ballots in the signed message disagrees with the figures.
	rep = tampered(t, paper, func(_ *recordtest.Vote, r *record.Record) {
		r.Figures.Paper.Valid++
		r.Figures.Paper.Invalid--
	})
	wantFailure(t, rep, "paper", "figures.paper.valid", "mismatch", "số phiếu giấy hợp lệ 8 ≠ 7 phiếu trong các bảng tổng có chữ ký")
}

func TestTamperPlainBallotEdited(t *testing.T) {
	rep := tampered(t, plain, func(_ *recordtest.Vote, r *record.Record) {
		b := []byte(r.Plain.Ballots[3])
		if b[0] == 'l' {
			b[0] = 'h'
		} else {
			b[0] = 'l'
		}
		r.Plain.Ballots[3] = string(b)
	})
	wantFailure(t, rep, "recount", "counts[0]", "mismatch", "đếm lại được")
}

func TestTamperSpoiledAmongCast(t *testing.T) {
	rep := tampered(t, small, func(_ *recordtest.Vote, r *record.Record) {
		r.Encrypted.Spoiled = append(r.Encrypted.Spoiled, r.Encrypted.Ballots[2].BallotHash)
	})
	wantFailure(t, rep, "figures", "encrypted.spoiled[", "mismatch", "một phiếu đã hủy để kiểm tra máy lại nằm trong các phiếu được đếm")
}

func TestTamperReplayedCiphertext(t *testing.T) {
	// A ballot whose row reuses another ballot's ciphertext, re-signed under its own credential.
	rep := tampered(t, small, func(v *recordtest.Vote, r *record.Record) {
		other, _ := protocol.ParseBallot(r.Encrypted.Ballots[0].Ballot)
		resign(t, v, r, 5, func(b *protocol.Ballot) { b.Rows[1] = other.Rows[1] })
	})
	wantFailure(t, rep, "ballots", "encrypted.ballots[", "duplicate", "bản mã bị dùng lại")
}
