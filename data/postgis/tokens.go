package postgis

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TokenPrefix starts every API token, so a leaked one is easy to recognise
// (and to search for in logs and repositories).
const TokenPrefix = "aimaq_"

// tokenBytes is the randomness of a token.
const tokenBytes = 32

var tokenName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// Token is what is kept of an API token: never the token itself.
type Token struct {
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// tokenHash is the SHA-256 of a token, the only form stored.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CreateToken makes a new random token called name and returns it; it is
// shown this once, only its hash is stored. A name already used (revoked or
// not) is errs.Invalid.
func (s *Store) CreateToken(ctx context.Context, name string) (token string, err error) {
	defer wrap(&err, "Store.CreateToken(%q)", name)
	if !tokenName.MatchString(name) {
		return "", errs.E(errs.Invalid, "token name %q: want 1–64 letters, digits or . _ @ - (starting with a letter or digit)", errs.Shorten(name))
	}
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	_, err = s.pool.Exec(ctx, `INSERT INTO api_token (name, hash) VALUES ($1, $2)`, name, tokenHash(token))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "api_token_name_key" {
		return "", errs.E(errs.Invalid, "a token named %q exists already (names are never reused, even after revoke)", name)
	}
	if err != nil {
		return "", err
	}
	return token, nil
}

// Tokens lists every token, oldest first.
func (s *Store) Tokens(ctx context.Context) (_ []Token, err error) {
	defer wrap(&err, "Store.Tokens")
	rows, err := s.pool.Query(ctx, `SELECT name, created_at, last_used_at, revoked_at FROM api_token ORDER BY created_at, id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Token, error) {
		var t Token
		err := r.Scan(&t.Name, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt)
		return t, err
	})
}

// RevokeToken revokes the token called name at once: its next write is
// refused. An unknown name is errs.NotFound, a revoked one errs.Invalid.
func (s *Store) RevokeToken(ctx context.Context, name string) (err error) {
	defer wrap(&err, "Store.RevokeToken(%q)", name)
	var revoked *time.Time
	err = s.pool.QueryRow(ctx, `
		WITH t AS (SELECT id, revoked_at FROM api_token WHERE name = $1 FOR UPDATE),
		     u AS (UPDATE api_token a SET revoked_at = now() FROM t WHERE a.id = t.id AND t.revoked_at IS NULL)
		SELECT revoked_at FROM t`, name).Scan(&revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return errs.E(errs.NotFound, "no token named %q (see aimaq token list)", errs.Shorten(name))
	}
	if err != nil {
		return err
	}
	if revoked != nil {
		return errs.E(errs.Invalid, "token %q was revoked already at %s", name, revoked.UTC().Format(time.RFC3339))
	}
	return nil
}

// Authenticate returns the name of the live token equal to token; ok is
// false for a token that is unknown, revoked or not an aimaq token. The
// hashes are compared in constant time, every live one, so the answer's
// timing tells nothing about how close a guess came.
func (s *Store) Authenticate(ctx context.Context, token string) (name string, ok bool, err error) {
	defer wrap(&err, "Store.Authenticate")
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 200 {
		return "", false, nil
	}
	want := tokenHash(token)
	rows, err := s.pool.Query(ctx, `SELECT name, hash FROM api_token WHERE revoked_at IS NULL`)
	if err != nil {
		return "", false, errs.Wrap(errs.Unavailable, err, "checking the token")
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		var h []byte
		if err := rows.Scan(&n, &h); err != nil {
			return "", false, err
		}
		if subtle.ConstantTimeCompare(h, want) == 1 {
			name, ok = n, true
		}
	}
	return name, ok, rows.Err()
}

// recordWrite records w in write_log within tx and marks its token used. A
// token revoked since the request was let in is refused here, in the
// transaction of the write, so no write outlives its token's revocation.
func recordWrite(ctx context.Context, tx pgx.Tx, w Write, scenarioID int64, summary any) error {
	if w.Token == "" {
		return errs.E(errs.Invalid, "a write needs a token name")
	}
	if !w.Local {
		tag, err := tx.Exec(ctx, `UPDATE api_token SET last_used_at = now() WHERE name = $1 AND revoked_at IS NULL`, w.Token)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return errs.E(errs.Unauthorized, "token %q is revoked or unknown: nothing was written", w.Token)
		}
	}
	var sid *int64
	if scenarioID != 0 {
		sid = &scenarioID
	}
	_, err := tx.Exec(ctx, `INSERT INTO write_log (token_name, method, path, scenario_id, summary) VALUES ($1, $2, $3, $4, $5)`,
		w.Token, w.Method, w.Path, sid, summary)
	return err
}
