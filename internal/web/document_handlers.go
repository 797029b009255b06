package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/document"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/vote"
)

const (
	mimePDF  = "application/pdf"
	mimeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeCSV  = "text/csv; charset=utf-8"
	mimeHTML = "text/html; charset=utf-8"
)

func (s *Server) getDocumentSettings(r request, _ none) (document.Settings, error) {
	return s.docs.DocumentSettings(r.ctx, r.p, r.id("id"))
}

func (s *Server) putDocumentSettings(r request, in document.Settings) (document.Settings, error) {
	return s.docs.SetDocumentSettings(r.ctx, r.p, r.id("id"), in)
}

// sendFile answers with a file for download.
func sendFile(c *fiber.Ctx, status int, contentType, filename string, body []byte) error {
	c.Set(fiber.HeaderContentType, contentType)
	disposition := "attachment"
	if contentType == mimeHTML || contentType == mimePDF {
		disposition = "inline"
	}
	c.Set(fiber.HeaderContentDisposition, disposition+`; filename="`+filename+`"`)
	return c.Status(status).Send(body)
}

// voteFile serves one of a vote's documents or exports: the ballot at any time; the minutes, the
// resolution and the exports once the vote is closed (drafts until certified and published); the
// published resolution exactly as it was frozen.
func (s *Server) voteFile(name string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := param(c, "id")
		if err != nil {
			return err
		}
		d, err := s.docs.DocumentData(c.UserContext(), principal(c), id)
		if err != nil {
			return err
		}
		short := id
		if len(short) > 8 {
			short = short[:8]
		}
		if name == "ballot.pdf" {
			group := 0
			if g := c.Query("group"); g != "" {
				group, err = strconv.Atoi(g)
				if err != nil || group < 0 || group >= len(d.Vote.BallotGroups) {
					return apperr.InvalidFields(apperr.Field("group", "out_of_range", "min", 0, "max", len(d.Vote.BallotGroups)-1))
				}
			}
			b, err := document.PDF(document.Ballot(d, group))
			if err != nil {
				return err
			}
			return sendFile(c, fiber.StatusOK, mimePDF, "phieu-tin-nhiem-"+short+"-"+strconv.Itoa(group+1)+".pdf", b)
		}
		if strings.HasPrefix(name, "issuance-list.") {
			return s.issuanceList(c, d, name, short)
		}
		if !d.Vote.Status.Tallied() {
			return apperr.New(apperr.Conflict, "wrong_status").With("status", string(d.Vote.Status))
		}
		if d.Vote.Status == vote.Published && (name == "resolution.pdf" || name == "resolution.docx" || name == "resolution.html") {
			b, ct, ok, err := s.docs.FrozenDocument(c.UserContext(), id, name)
			if err != nil {
				return err
			}
			if ok {
				return sendFile(c, fiber.StatusOK, ct, "nghi-quyet-"+short+name[len("resolution"):], b)
			}
		}
		return renderFile(c, name, d, short)
	}
}

func renderFile(c *fiber.Ctx, name string, d document.Data, short string) error {
	var (
		b   []byte
		err error
		ct  string
		fn  string
	)
	switch name {
	case "minutes.pdf":
		b, err = document.PDF(document.Minutes(d))
		ct, fn = mimePDF, "bien-ban-kiem-phieu-"+short+".pdf"
	case "minutes.docx":
		b, err = document.DOCX(document.Minutes(d))
		ct, fn = mimeDOCX, "bien-ban-kiem-phieu-"+short+".docx"
	case "resolution.pdf":
		b, err = document.PDF(document.Resolution(d))
		ct, fn = mimePDF, "du-thao-nghi-quyet-"+short+".pdf"
	case "resolution.docx":
		b, err = document.DOCX(document.Resolution(d))
		ct, fn = mimeDOCX, "du-thao-nghi-quyet-"+short+".docx"
	case "resolution.html":
		b, ct, fn = document.HTML(document.Resolution(d)), mimeHTML, "du-thao-nghi-quyet-"+short+".html"
	case "results.csv":
		b, ct, fn = document.CSV(d), mimeCSV, "ket-qua-"+short+".csv"
	case "results.xlsx":
		b, err = document.XLSX(d)
		ct, fn = mimeXLSX, "ket-qua-"+short+".xlsx"
	case "results.json":
		return c.JSON(resultsJSON{Council: d.Council.Name, Vote: d.Vote, Tally: d.Tally})
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	return sendFile(c, fiber.StatusOK, ct, fn, b)
}

// resultsJSON is the JSON export of a vote's results.
type resultsJSON struct {
	Council string    `json:"council"`
	Vote    vote.Vote `json:"vote"`
	Tally   any       `json:"tally"`
}

// publicResolution serves the published resolution to anyone; nothing before publication.
func (s *Server) publicResolution(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.votes.PublicResults(c.UserContext(), id); err != nil {
		return err
	}
	b, ct, ok, err := s.docs.FrozenDocument(c.UserContext(), id, "resolution.pdf")
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.NotFound, "not_published")
	}
	return sendFile(c, fiber.StatusOK, ct, "nghi-quyet.pdf", b)
}

// publicRecord sends a published vote's public record (docs/RECORD.md): the same bytes each time.
func (s *Server) publicRecord(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	b, err := s.docs.Record(c.UserContext(), id)
	if err != nil {
		return err
	}
	return sendFile(c, fiber.StatusOK, "application/json", "ban-ghi-cong-khai-"+id+".json", b)
}

// codeSlips renders freshly generated codes as printable slips.
func (s *Server) codeSlips(c *fiber.Ctx, voteID string, codes []string) error {
	d, err := s.docs.DocumentData(c.UserContext(), principal(c), voteID)
	if err != nil {
		return err
	}
	b, err := document.Slips(document.SlipInfo{Council: d.Council.Name, Title: d.Vote.Title, Session: d.Vote.SessionName,
		Date: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}, codes)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return sendFile(c, fiber.StatusCreated, mimePDF, "ma-bo-phieu.pdf", b)
}

// issuanceList serves the list of delegates receiving a ballot (Danh sách đại biểu nhận phiếu): every
// delegate in office on the vote date, in Vietnamese order, with a column for their signature.
func (s *Server) issuanceList(c *fiber.Ctx, d document.Data, name, short string) error {
	day := d.Vote.VoteDate
	ds, err := s.rosters.ListDelegates(c.UserContext(), principal(c), d.Vote.CouncilID, roster.DelegateFilter{InOfficeOn: &day})
	if err != nil {
		return err
	}
	names := make([]string, len(ds))
	for i, x := range ds {
		names[i] = x.FullName
	}
	doc := document.IssuanceList(d, names)
	if name == "issuance-list.docx" {
		b, err := document.DOCX(doc)
		if err != nil {
			return err
		}
		return sendFile(c, fiber.StatusOK, mimeDOCX, "danh-sach-nhan-phieu-"+short+".docx", b)
	}
	b, err := document.PDF(doc)
	if err != nil {
		return err
	}
	return sendFile(c, fiber.StatusOK, mimePDF, "danh-sach-nhan-phieu-"+short+".pdf", b)
}
