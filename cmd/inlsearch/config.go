package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/inlsearch/inlsearch/indexer/crawl"
	"github.com/inlsearch/inlsearch/indexer/robots"
	"github.com/inlsearch/inlsearch/search"
	"github.com/inlsearch/inlsearch/web"
)

// Config is everything the commands read from flags, environment variables
// (INLSEARCH_<FLAG>) and an optional JSON config file. Flags win over the
// environment, the environment over the file.
type Config struct {
	Data      string `json:"data"`
	Addr      string `json:"addr"`
	DebugAddr string `json:"debug_addr"`
	// MetricsAddr moves /metrics to a listener of its own; MetricsPublic
	// answers it on the main listener to any peer (default: loopback only).
	MetricsAddr   string        `json:"metrics_addr"`
	MetricsPublic bool          `json:"metrics_public"`
	Seeds         []string      `json:"seeds"`
	Delay         time.Duration `json:"-"`
	// UserAgent is the crawler's User-Agent header; its product token (the
	// first word before '/') is what robots.txt groups are matched against.
	UserAgent string `json:"user_agent"`
	MaxPages  int    `json:"max_pages"`
	MaxDepth  int    `json:"max_depth"`
	// MaxPDFBytes and PDFTimeout bound each PDF the crawl fetches: its size
	// (HTML keeps its own limit) and the time its text extraction may take.
	MaxPDFBytes int64         `json:"max_pdf_bytes"`
	PDFTimeout  time.Duration `json:"-"`
	// Include and Exclude are the crawl's scope rules (path prefixes or
	// globs, or http(s):// URL prefixes); FollowDocuments fetches documents
	// linked from in-scope pages wherever they live on the seed hosts.
	Include         []string `json:"include"`
	Exclude         []string `json:"exclude"`
	FollowDocuments bool     `json:"-"`
	// WARC is the file a crawl archives its exchanges to (crawl --warc);
	// URLPrefix maps imported local files to where they are published.
	WARC         string        `json:"-"`
	URLPrefix    string        `json:"-"`
	ReindexEvery time.Duration `json:"-"`
	// KeepGenerations and KeepFor are serve's keep policy of generations
	// (citable snapshots); a generation cited in the last 30 days is kept too.
	KeepGenerations int           `json:"keep_generations"`
	KeepFor         time.Duration `json:"-"`
	AllowPrivate    bool          `json:"allow_private"`
	Force           bool          `json:"force"`
	AdminToken      string        `json:"-"`
	// Rebuild builds the crawl's index in full (crawl --rebuild) rather
	// than from the published generation.
	Rebuild    bool   `json:"-"`
	LogFormat  string `json:"log_format"`
	LogLevel   string `json:"log_level"`
	ConfigFile string `json:"-"`
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (serve); MaxPerClient overrides Limits.MaxPerClient when
	// not zero.
	TrustedProxies []string `json:"trusted_proxies"`
	MaxPerClient   int      `json:"max_per_client"`
	// ReplicationToken (INLSEARCH_REPLICATION_TOKEN), when set, is the
	// bearer token of the replication routes (serve) and what pull sends.
	ReplicationToken string `json:"-"`

	// pull command: the builder's base URL and the period of a looping pull
	From  string        `json:"from"`
	Every time.Duration `json:"-"`

	// search command
	Organization, Country, Region, Topic, Type []string `json:"-"`
	Format                                     string   `json:"-"`
	PerPage                                    int      `json:"-"`
	Match                                      string   `json:"-"`
}

// fileConfig is the JSON shape of --config; durations are strings ("1s").
type fileConfig struct {
	Config
	Delay        string `json:"delay"`
	ReindexEvery string `json:"reindex_every"`
	PDFTimeout   string `json:"pdf_timeout"`
	// FollowDocuments is a pointer: absent means on.
	FollowDocuments *bool `json:"follow_documents"`
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// commaList is a repeatable flag whose every value may hold several
// comma-separated items ("10.0.0.0/8,::1"), as its environment variable does.
type commaList []string

func (l *commaList) String() string { return strings.Join(*l, ",") }
func (l *commaList) Set(v string) error {
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			*l = append(*l, item)
		}
	}
	return nil
}

// addLogFlags declares the flags every command takes: --log-format and
// --log-level (checked by checkLogFlags).
func addLogFlags(fs *flag.FlagSet, cfg *Config) {
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&cfg.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
}

// checkLogFlags refuses a log format or level that newLogger would not know.
func checkLogFlags(cfg *Config) error {
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return usageError{fmt.Sprintf("--log-format must be text or json, got %q", cfg.LogFormat)}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return usageError{fmt.Sprintf("--log-level must be debug, info, warn or error, got %q", cfg.LogLevel)}
	}
	return nil
}

// newFlagSet declares the flags of a command on cfg. Which flags a command
// takes is given by names.
func newFlagSet(cmd string, cfg *Config, names ...string) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	has := map[string]bool{}
	for _, n := range names {
		has[n] = true
	}
	fs.StringVar(&cfg.Data, "data", "./inlsearch-data", "data folder (index generations, crawl records)")
	addLogFlags(fs, cfg)
	fs.StringVar(&cfg.ConfigFile, "config", "", "JSON config file")
	if has["addr"] {
		fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "address to serve on")
	}
	if has["seed"] {
		fs.Var((*multi)(&cfg.Seeds), "seed", "start URL; its host is in the crawl's scope (repeatable)")
		fs.DurationVar(&cfg.Delay, "delay", time.Second, "politeness delay between two requests to one host")
		fs.StringVar(&cfg.UserAgent, "user-agent", "", "the crawler's User-Agent (default inlsearch/VERSION (+project URL)); robots.txt groups match its first word")
		fs.IntVar(&cfg.MaxPages, "max-pages", 10000, "maximum pages per crawl")
		fs.IntVar(&cfg.MaxDepth, "max-depth", 10, "maximum link depth from a seed")
		fs.Int64Var(&cfg.MaxPDFBytes, "max-pdf-bytes", limits.Crawl.MaxPDFBytes, "largest PDF fetched, in bytes after decompression (HTML pages keep their own limit)")
		fs.DurationVar(&cfg.PDFTimeout, "pdf-timeout", limits.PDF.Timeout, "time one PDF's text extraction may take")
		fs.Var((*multi)(&cfg.Include), "include", "crawl only URLs matching this rule: a path prefix (/j/inl/), a glob (/bureau-*) or an http(s):// URL prefix (repeatable)")
		fs.Var((*multi)(&cfg.Exclude), "exclude", "never crawl URLs matching this rule, same forms as --include (repeatable)")
		fs.BoolVar(&cfg.FollowDocuments, "follow-documents", true, "fetch documents (PDF) linked from in-scope pages wherever they live on the seed hosts")
		fs.BoolVar(&cfg.AllowPrivate, "allow-private", false, "let named hosts resolve to private addresses")
		fs.BoolVar(&cfg.Force, "force", false, "publish even when the passage count dropped by more than half")
	}
	if has["warc"] {
		fs.StringVar(&cfg.WARC, "warc", "", "also write every request and response of the crawl to this WARC file (.warc or .warc.gz)")
	}
	if has["import"] {
		fs.StringVar(&cfg.URLPrefix, "url-prefix", "", "URL the folders given are published at (default: file:// URLs)")
		fs.BoolVar(&cfg.Force, "force", false, "publish even when the passage count dropped by more than half")
	}
	if has["rebuild"] {
		fs.BoolVar(&cfg.Rebuild, "rebuild", false, "build the index in full, every passage written again, not from the published generation")
	}
	if has["debug"] {
		fs.StringVar(&cfg.DebugAddr, "debug-addr", "", "loopback address for Go profiles (/debug/pprof/); off when empty")
		fs.StringVar(&cfg.MetricsAddr, "metrics-addr", "", "serve /metrics on this address instead of the main listener")
		fs.BoolVar(&cfg.MetricsPublic, "metrics-public", false, "answer /metrics on the main listener to any peer, not loopback only")
	}
	if has["proxy"] {
		fs.Var((*commaList)(&cfg.TrustedProxies), "trusted-proxies",
			"reverse proxies (CIDR or address, comma-separated) whose X-Forwarded-For names the client; none by default")
		fs.IntVar(&cfg.MaxPerClient, "max-per-client", 0,
			"searches in flight per client address (0: half of the search slots; negative: no cap)")
	}
	if has["pull"] {
		fs.StringVar(&cfg.From, "from", "", "base URL of the builder to copy the current generation from (http://builder:8080)")
		fs.DurationVar(&cfg.Every, "every", 0, "pull again on this period until stopped (0: once; at least 1s)")
	}
	if has["reindex"] {
		fs.DurationVar(&cfg.ReindexEvery, "reindex-every", 0, "re-index on this period (0: never; at least 1m)")
		fs.IntVar(&cfg.KeepGenerations, "keep-generations", search.DefaultKeepGenerations, "index generations kept for gen= (citations), newest first; at least 2")
		fs.DurationVar(&cfg.KeepFor, "keep-for", 0, "also keep every generation built within this long (0: none by age)")
	}
	if has["filters"] {
		fs.Var((*multi)(&cfg.Organization), "organization", "organization filter (repeatable)")
		fs.Var((*multi)(&cfg.Country), "country", "country filter (repeatable)")
		fs.Var((*multi)(&cfg.Region), "region", "region filter (repeatable)")
		fs.Var((*multi)(&cfg.Topic), "topic", "topic filter (repeatable)")
		fs.Var((*multi)(&cfg.Type), "type", "document type filter (repeatable)")
		fs.StringVar(&cfg.Format, "format", "text", "output: text, json or csv")
		fs.IntVar(&cfg.PerPage, "per-page", 10, "hits to show (1-100)")
		fs.StringVar(&cfg.Match, "match", search.MatchAuto, "auto: every word, or all but one when fewer than 10 passages hold them all; all: every word")
	}
	return fs
}

// parseConfig parses args into cfg, then fills every flag not given on the
// command line from INLSEARCH_<NAME> and then from the config file.
func parseConfig(fs *flag.FlagSet, cfg *Config, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		env := "INLSEARCH_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if _, isMulti := f.Value.(*multi); isMulti {
				for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
					_ = f.Value.Set(part)
				}
			} else if serr := f.Value.Set(v); serr != nil {
				err = fmt.Errorf("%s: %w", env, serr)
			}
			set[f.Name] = true
		}
	})
	if err != nil {
		return err
	}
	cfg.AdminToken = os.Getenv("INLSEARCH_ADMIN_TOKEN")
	cfg.ReplicationToken = os.Getenv("INLSEARCH_REPLICATION_TOKEN")
	if cfg.ConfigFile != "" {
		if err := applyFile(cfg, set); err != nil {
			return err
		}
	}
	return cfg.validate()
}

func applyFile(cfg *Config, set map[string]bool) error {
	b, err := os.ReadFile(cfg.ConfigFile)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	var fc fileConfig
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		return fmt.Errorf("config file %s: %w", cfg.ConfigFile, err)
	}
	if !set["data"] && fc.Data != "" {
		cfg.Data = fc.Data
	}
	if !set["addr"] && fc.Addr != "" {
		cfg.Addr = fc.Addr
	}
	if !set["debug-addr"] && fc.DebugAddr != "" {
		cfg.DebugAddr = fc.DebugAddr
	}
	if !set["seed"] && len(fc.Seeds) > 0 {
		cfg.Seeds = fc.Seeds
	}
	if !set["include"] && len(fc.Include) > 0 {
		cfg.Include = fc.Include
	}
	if !set["exclude"] && len(fc.Exclude) > 0 {
		cfg.Exclude = fc.Exclude
	}
	if !set["follow-documents"] && fc.FollowDocuments != nil {
		cfg.FollowDocuments = *fc.FollowDocuments
	}
	if !set["metrics-addr"] && fc.MetricsAddr != "" {
		cfg.MetricsAddr = fc.MetricsAddr
	}
	if !set["metrics-public"] && fc.MetricsPublic {
		cfg.MetricsPublic = true
	}
	if !set["user-agent"] && fc.UserAgent != "" {
		cfg.UserAgent = fc.UserAgent
	}
	if !set["max-pages"] && fc.MaxPages > 0 {
		cfg.MaxPages = fc.MaxPages
	}
	if !set["max-depth"] && fc.MaxDepth > 0 {
		cfg.MaxDepth = fc.MaxDepth
	}
	if !set["allow-private"] && fc.AllowPrivate {
		cfg.AllowPrivate = true
	}
	if !set["trusted-proxies"] && len(fc.TrustedProxies) > 0 {
		cfg.TrustedProxies = fc.TrustedProxies
	}
	if !set["from"] && fc.From != "" {
		cfg.From = fc.From
	}
	if !set["max-per-client"] && fc.MaxPerClient != 0 {
		cfg.MaxPerClient = fc.MaxPerClient
	}
	if !set["delay"] && fc.Delay != "" {
		if cfg.Delay, err = time.ParseDuration(fc.Delay); err != nil {
			return fmt.Errorf("config file: delay: %w", err)
		}
	}
	if !set["max-pdf-bytes"] && fc.MaxPDFBytes > 0 {
		cfg.MaxPDFBytes = fc.MaxPDFBytes
	}
	if !set["pdf-timeout"] && fc.PDFTimeout != "" {
		if cfg.PDFTimeout, err = time.ParseDuration(fc.PDFTimeout); err != nil {
			return fmt.Errorf("config file: pdf_timeout: %w", err)
		}
	}
	if !set["reindex-every"] && fc.ReindexEvery != "" {
		if cfg.ReindexEvery, err = time.ParseDuration(fc.ReindexEvery); err != nil {
			return fmt.Errorf("config file: reindex_every: %w", err)
		}
	}
	return nil
}

func (c *Config) validate() error {
	if err := checkLogFlags(c); err != nil {
		return err
	}
	if c.Data == "" {
		return errors.New("--data must not be empty")
	}
	if c.Delay < 0 {
		return errors.New("--delay must not be negative")
	}
	if c.MaxPDFBytes < 0 {
		return usageError{"--max-pdf-bytes must not be negative"}
	}
	if c.PDFTimeout < 0 {
		return usageError{"--pdf-timeout must not be negative"}
	}
	if c.UserAgent != "" && !validUserAgent(c.UserAgent) {
		return usageError{fmt.Sprintf("--user-agent %q: want a product token of letters, '_' or '-' first (\"mybot/1.0 (+https://example.org/bot)\")", c.UserAgent)}
	}
	if c.KeepGenerations < 0 || c.KeepGenerations == 1 {
		return usageError{"--keep-generations must be at least 2 (the current and the previous generation)"}
	}
	if c.KeepFor < 0 {
		return usageError{"--keep-for must not be negative"}
	}
	if err := c.checkScope(); err != nil {
		return err
	}
	if c.URLPrefix != "" {
		if _, err := crawl.Normalize(c.URLPrefix); err != nil {
			return usageError{fmt.Sprintf("--url-prefix %q: want an http(s) URL", c.URLPrefix)}
		}
	}
	if c.ReindexEvery != 0 && c.ReindexEvery < time.Minute {
		return errors.New("--reindex-every must be at least 1m")
	}
	if c.Every != 0 && c.Every < time.Second {
		return usageError{"--every must be at least 1s"}
	}
	if c.From != "" {
		if u, err := url.Parse(c.From); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return usageError{fmt.Sprintf("--from %q: want the builder's base URL, http(s)://host:port", c.From)}
		}
	}
	if c.DebugAddr != "" {
		if err := checkDebugAddr(c.DebugAddr); err != nil {
			return err
		}
	}
	if err := web.CheckTrustedProxies(c.TrustedProxies); err != nil {
		return usageError{"--trusted-proxies " + err.Error()}
	}
	switch c.Format {
	case "", "text", "json", "csv":
	default:
		return fmt.Errorf("--format %q: want text, json or csv", c.Format)
	}
	switch c.Match {
	case "", search.MatchAuto, search.MatchAll:
	default:
		return usageError{fmt.Sprintf("--match %q: want auto or all", c.Match)}
	}
	return nil
}

// validUserAgent reports whether ua is a header value (printable ASCII) whose
// product token robots.txt can name: letters, '_' and '-' only, not empty.
func validUserAgent(ua string) bool {
	for _, r := range ua {
		if r < ' ' || r > '~' {
			return false
		}
	}
	tok := robots.ProductToken(ua)
	if tok == "" {
		return false
	}
	for _, r := range tok {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// scope parses the scope rules; nil when there are none.
func (c *Config) scope() (*crawl.Scope, error) {
	if len(c.Include) == 0 && len(c.Exclude) == 0 {
		return nil, nil
	}
	s, err := crawl.NewScope(c.Include, c.Exclude)
	if err != nil {
		return nil, err
	}
	s.Documents = c.FollowDocuments
	return s, nil
}

// checkScope refuses rules that do not parse and seeds the rules leave
// out (a crawl would fetch nothing from them).
func (c *Config) checkScope() error {
	s, err := c.scope()
	if err != nil {
		return usageError{err.Error()}
	}
	for _, seed := range c.Seeds {
		if rule, ok := s.CheckURL(seed); !ok {
			return usageError{fmt.Sprintf("seed %s is outside the crawl's scope (%s): add an --include rule for it", seed, rule)}
		}
	}
	return nil
}
