# tests/omegat.sh -- sourced by the tests that run OmegaT headless
# (tests/analyze/omegat_stats.sh, tests/doc/xliff_omegat.sh).

# omegat_project DIR: DIR/omegat.project for a German-to-English project
# with OmegaT's default folders and no sentence segmentation (tmkit's
# segments are the units).
omegat_project() {
  cat >"$1/omegat.project" <<'P'
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <source_dir_excludes/>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>de-DE</source_lang>
        <target_lang>en-US</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneGermanTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
P
}
