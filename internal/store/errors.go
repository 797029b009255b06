package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"

	sqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	sqlite3 "modernc.org/sqlite/lib"

	"tinnhiem/internal/apperr"
)

// dbErr maps a database error to an application error, by the driver's error type and code (never by
// matching message text): a unique violation is a conflict; a lost or refused connection, a
// deadlock, a serialization failure, a server shutting down or a busy SQLite file is "unavailable"
// (the client may retry); anything else is internal. Application errors pass through.
func dbErr(err error) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &apperr.Error{Kind: apperr.Unavailable, Code: "request_timeout", Err: err}
	}
	switch classify(err) {
	case classUnique:
		return &apperr.Error{Kind: apperr.Conflict, Code: "conflict", Err: err}
	case classConstraint:
		// Input reaches the store validated (the API validates every input with its Normalize); a
		// caller that skipped it still gets a refusal of its input, never a server error.
		return &apperr.Error{Kind: apperr.Invalid, Code: "constraint_violated", Err: err}
	case classRetry:
		return &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable", Err: err}
	}
	return apperr.Wrap(err, "store")
}

type errClass int

const (
	classOther errClass = iota
	classUnique
	classConstraint
	classRetry
)

// PostgreSQL SQLSTATE classes and codes (Appendix A of its manual).
const (
	pgUniqueViolation      = "23505"
	pgNotNullViolation     = "23502"
	pgForeignKeyViolation  = "23503"
	pgCheckViolation       = "23514"
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
	pgClassOperatorAction  = "57" // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now
	pgClassConnection      = "08"
)

func classify(err error) errClass {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case pg.Code == pgUniqueViolation:
			return classUnique
		case pg.Code == pgCheckViolation, pg.Code == pgNotNullViolation, pg.Code == pgForeignKeyViolation:
			return classConstraint
		case pg.Code == pgSerializationFailure, pg.Code == pgDeadlockDetected,
			len(pg.Code) == 5 && (pg.Code[:2] == pgClassOperatorAction || pg.Code[:2] == pgClassConnection):
			return classRetry
		}
		return classOther
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		switch code := lite.Code(); {
		case code == sqlite3.SQLITE_CONSTRAINT_UNIQUE, code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return classUnique
		case code == sqlite3.SQLITE_CONSTRAINT_CHECK, code == sqlite3.SQLITE_CONSTRAINT_NOTNULL, code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return classConstraint
		case code&0xff == sqlite3.SQLITE_BUSY, code&0xff == sqlite3.SQLITE_LOCKED:
			return classRetry
		}
		return classOther
	}
	// The connection itself: refused, reset, closed mid-query, or a pool that lost its server.
	var netErr net.Error
	var connect *pgconn.ConnectError
	if errors.As(err, &netErr) || errors.As(err, &connect) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, driver.ErrBadConn) || pgconn.SafeToRetry(err) ||
		errors.Is(err, pgconn.ErrConnClosed) {
		return classRetry
	}
	return classOther
}

func isUnique(err error) bool { return classify(err) == classUnique }

// notFound turns GORM's not-found into an application error with the given code.
func notFound(err error, code string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.New(apperr.NotFound, code)
	}
	return dbErr(err)
}

type errString string

func (e errString) Error() string { return string(e) }

func apperrInternal(msg string) error {
	return &apperr.Error{Kind: apperr.Internal, Code: "internal", Err: errString(msg)}
}
