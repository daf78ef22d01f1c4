// LuceneBench is the lucene engine of the benchmark in bench/ (see
// bench/eng_lucene.go, which starts it): Apache Lucene 8 as Debian's
// liblucene8-java ships it, set up as a Lucene user would for this service.
//
//   java -cp CLASSPATH LuceneBench build INDEX CORPUS FACETS
//   java -cp CLASSPATH LuceneBench serve INDEX FACETS
//
// build indexes the passages of the CORPUS file (one a line, written by the
// Go harness) into a new index in INDEX and prints one JSON line with the
// engine's own time (IndexWriter open, document building and addDocument,
// commit and close; not the reading of the file) and the process's peak RSS.
//
// serve opens INDEX, prints READY, then answers one query a line on stdin
// with one line on stdout, until stdin ends; it then prints one JSON line
// with its peak RSS.
//
// The index: title, section and text analysed by EnglishAnalyzer (standard
// tokenizer, possessives, lower case, Lucene's English stop words, Porter
// stems) and stored, the text's postings with offsets for the snippets of
// the page shown (UnifiedHighlighter); id stored; url and amounts stored; published as
// numeric doc values and the title as sorted doc values (the sort of a
// search without words); each facet of FACETS (comma-separated) as
// SortedSetDocValuesFacetField, so that facet counts are Lucene's own.
// Similarity is Lucene's default, BM25.
//
// Fields of a line of the corpus, separated by tabs, each escaped (see
// unescape): id, url, title, section, text, published (days since
// 1970-01-01), amounts, then one field per facet of FACETS; multi-valued
// fields join their values with U+001F.
//
// A query line: text (the query in the classic query parser's syntax,
// empty for none), page, 1 to count facets or 0, then the filters, each
// "facet U+001F value", joined by U+001E. The answer: "OK", the total, then
// the facets, each "facet U+001F value U+001F count U+001F value …", joined
// by U+001E; or "ERR" and a message.
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.DrillDownQuery;
import org.apache.lucene.facet.DrillSideways;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.Facets;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopDocsCollector;
import org.apache.lucene.search.TopFieldCollector;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

public final class LuceneBench {
  static final String[] TEXT_FIELDS = {"title", "section", "text"};
  static final int PER_PAGE = 10;
  static final int FACET_SIZE = 10;
  static final char VALUES = '\u001f';
  static final char FILTERS = '\u001e';

  // TEXT_WITH_OFFSETS is a stored text field whose postings keep offsets, so
  // that the UnifiedHighlighter makes snippets from the postings instead of
  // analysing the stored text again (Lucene's advice for highlighting).
  static final FieldType TEXT_WITH_OFFSETS = new FieldType(TextField.TYPE_STORED);

  static {
    TEXT_WITH_OFFSETS.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
    TEXT_WITH_OFFSETS.freeze();
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 4 && args[0].equals("build")) {
      build(Paths.get(args[1]), Paths.get(args[2]), args[3].split(","));
    } else if (args.length == 3 && args[0].equals("serve")) {
      serve(Paths.get(args[1]), args[2].split(","));
    } else {
      System.err.println("usage: LuceneBench build INDEX CORPUS FACETS | serve INDEX FACETS");
      System.exit(2);
    }
  }

  static FacetsConfig facetsConfig(String[] facets) {
    FacetsConfig config = new FacetsConfig();
    for (String f : facets) {
      config.setMultiValued(f, true);
    }
    return config;
  }

  static void build(Path index, Path corpus, String[] facets) throws IOException {
    FacetsConfig config = facetsConfig(facets);
    long t0 = System.nanoTime();
    Directory dir = FSDirectory.open(index);
    IndexWriterConfig iwc = new IndexWriterConfig(new EnglishAnalyzer());
    iwc.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    IndexWriter w = new IndexWriter(dir, iwc);
    long engine = System.nanoTime() - t0;
    long docs = 0;
    try (BufferedReader in = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = splitRaw(line, '\t');
        if (f.length != 7 + facets.length) {
          throw new IOException("corpus line " + (docs + 1) + ": " + f.length + " fields, want " + (7 + facets.length));
        }
        for (int i = 0; i < 6; i++) {
          f[i] = unescape(f[i]);
        }
        long start = System.nanoTime();
        Document d = new Document();
        d.add(new StringField("id", f[0], Field.Store.YES));
        d.add(new StoredField("url", f[1]));
        d.add(new TextField("title", f[2], Field.Store.YES));
        d.add(new TextField("section", f[3], Field.Store.YES));
        d.add(new Field("text", f[4], TEXT_WITH_OFFSETS));
        d.add(new NumericDocValuesField("published", Long.parseLong(f[5])));
        d.add(new SortedDocValuesField("title_sort", new BytesRef(f[2])));
        if (!f[6].isEmpty()) {
          for (String a : split(f[6], VALUES)) {
            d.add(new StoredField("amount", Double.parseDouble(a)));
          }
        }
        for (int i = 0; i < facets.length; i++) {
          if (f[7 + i].isEmpty()) {
            continue;
          }
          for (String v : split(f[7 + i], VALUES)) {
            d.add(new SortedSetDocValuesFacetField(facets[i], v));
          }
        }
        w.addDocument(config.build(d));
        engine += System.nanoTime() - start;
        docs++;
      }
    }
    long start = System.nanoTime();
    w.commit();
    w.close();
    dir.close();
    engine += System.nanoTime() - start;
    System.out.println("{\"build_seconds\":" + (engine / 1e9) + ",\"docs\":" + docs + ",\"rss\":" + peakRSS() + "}");
  }

  static void serve(Path index, String[] facets) throws Exception {
    FacetsConfig config = facetsConfig(facets);
    Analyzer analyzer = new EnglishAnalyzer();
    DirectoryReader reader = DirectoryReader.open(FSDirectory.open(index));
    IndexSearcher searcher = new IndexSearcher(reader);
    SortedSetDocValuesReaderState state = new DefaultSortedSetDocValuesReaderState(reader);
    MultiFieldQueryParser parser = new MultiFieldQueryParser(TEXT_FIELDS, analyzer);
    parser.setDefaultOperator(QueryParser.Operator.AND);
    UnifiedHighlighter highlighter = new UnifiedHighlighter(searcher, analyzer);
    Sort byDate = new Sort(new SortField("published", SortField.Type.LONG, true),
        new SortField("title_sort", SortField.Type.STRING));
    Set<String> shown = new HashSet<>(List.of("id", "title", "url"));

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    out.write("READY\n");
    out.flush();
    String line;
    while ((line = in.readLine()) != null) {
      String answer;
      try {
        String[] q = splitRaw(line, '\t');
        if (q.length != 4) {
          throw new IllegalArgumentException("query line: " + q.length + " fields, want 4");
        }
        String text = unescape(q[0]);
        int page = Integer.parseInt(q[1]);
        boolean wantFacets = q[2].equals("1");
        Query base = text.isEmpty() ? new MatchAllDocsQuery() : parser.parse(text);
        DrillDownQuery dd = new DrillDownQuery(config, base);
        boolean filtered = false;
        if (!q[3].isEmpty()) {
          for (String pair : splitRaw(q[3], FILTERS)) {
            String[] fv = split(pair, VALUES);
            if (fv.length != 2) {
              throw new IllegalArgumentException("filter: " + fv.length + " parts, want 2");
            }
            dd.add(fv[0], fv[1]);
            filtered = true;
          }
        }
        int n = page * PER_PAGE;
        // Exact totals, as the other engines give: no early termination.
        TopDocsCollector<?> hits = text.isEmpty()
            ? TopFieldCollector.create(byDate, n, Integer.MAX_VALUE)
            : TopScoreDocCollector.create(n, Integer.MAX_VALUE);
        Facets counts = null;
        if (wantFacets) {
          // Disjunctive counts: a selected facet's counts apply every filter but its own.
          counts = new DrillSideways(searcher, config, state).search(dd, hits).facets;
        } else {
          searcher.search(filtered ? dd : base, hits);
        }
        TopDocs td = hits.topDocs();
        if (td.totalHits.relation != TotalHits.Relation.EQUAL_TO) {
          throw new IllegalStateException("total is a lower bound");
        }
        // The page shown: its stored fields, and a snippet when there are words.
        int from = Math.min((page - 1) * PER_PAGE, td.scoreDocs.length);
        int[] docIDs = new int[td.scoreDocs.length - from];
        for (int i = from; i < td.scoreDocs.length; i++) {
          ScoreDoc sd = td.scoreDocs[i];
          docIDs[i - from] = sd.doc;
          searcher.doc(sd.doc, shown);
        }
        if (!text.isEmpty() && docIDs.length > 0) {
          highlighter.highlightFields(new String[] {"text"}, base, docIDs, new int[] {1});
        }
        StringBuilder b = new StringBuilder("OK\t").append(td.totalHits.value).append('\t');
        if (counts != null) {
          for (int i = 0; i < facets.length; i++) {
            if (i > 0) {
              b.append(FILTERS);
            }
            b.append(escape(facets[i]));
            FacetResult fr = counts.getTopChildren(FACET_SIZE, facets[i]);
            if (fr != null) {
              for (LabelAndValue lv : fr.labelValues) {
                b.append(VALUES).append(escape(lv.label)).append(VALUES).append(lv.value.intValue());
              }
            }
          }
        }
        answer = b.toString();
      } catch (Exception e) {
        answer = "ERR\t" + escape(e.toString());
      }
      out.write(answer);
      out.write('\n');
      out.flush();
    }
    reader.close();
    out.write("{\"rss\":" + peakRSS() + "}\n");
    out.flush();
  }

  // split cuts s at every sep and unescapes each piece.
  static String[] split(String s, char sep) {
    String[] parts = splitRaw(s, sep);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = unescape(parts[i]);
    }
    return parts;
  }

  // splitRaw cuts s at every sep, leaving the pieces escaped (a piece that
  // holds separators of its own is split again, then unescaped).
  static String[] splitRaw(String s, char sep) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == sep) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    return parts.toArray(new String[0]);
  }

  // unescape undoes the harness's escape: backslash before a backslash, t, n, r,
  // f (U+001F) and e (U+001E).
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        b.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 't': b.append('\t'); break;
        case 'n': b.append('\n'); break;
        case 'r': b.append('\r'); break;
        case 'f': b.append(VALUES); break;
        case 'e': b.append(FILTERS); break;
        default: b.append(e);
      }
    }
    return b.toString();
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\': b.append("\\\\"); break;
        case '\t': b.append("\\t"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case VALUES: b.append("\\f"); break;
        case FILTERS: b.append("\\e"); break;
        default: b.append(c);
      }
    }
    return b.toString();
  }

  // peakRSS is the high-water mark of this process's resident set (VmHWM), in bytes.
  static long peakRSS() {
    try {
      for (String l : Files.readAllLines(Paths.get("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.substring(6).trim().replace(" kB", "").trim()) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // unknown
    }
    return 0;
  }
}
