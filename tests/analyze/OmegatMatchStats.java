// OmegatMatchStats.java (tests/analyze/omegat_stats.sh) -- run OmegaT's own match statistics
// (org.omegat.core.statistics.CalcMatchStatistics, what Tools > Match
// Statistics shows) on a project, headless, and print its total table as
// TSV: row title, segments, words.  It lives in OmegaT's package to reach
// the package-private calcTotal; the panel subclass only receives results.
package org.omegat.core.statistics;

import java.io.File;
import java.util.HashMap;
import org.omegat.core.Core;
import org.omegat.core.data.ProjectProperties;
import org.omegat.core.data.RealProject;
import org.omegat.gui.stat.BaseMatchStatisticsPanel;
import org.omegat.util.ProjectFileStorage;
import org.omegat.util.RuntimePreferences;

public class OmegatMatchStats {
    static class Sink extends BaseMatchStatisticsPanel {
        String[] header;
        String[][] rows;
        Sink() { super(null); }
        @Override public void showProgress(int p) {}
        @Override public void appendTextData(String s) {}
        @Override public void setTextData(String s) {}
        @Override public void setDataFile(String s) {}
        @Override public void finishData() {}
        @Override public void appendTable(String title, String[] h, String[][] r) {}
        @Override public void setTable(String[] h, String[][] r) { header = h; rows = r; }
    }

    public static void main(String[] args) throws Exception {
        RuntimePreferences.setConfigDir(args[1]);
        HashMap<String, String> params = new HashMap<String, String>();
        org.omegat.filters2.master.PluginUtils.loadPlugins(params);
        Core.initializeConsole(params);
        ProjectProperties props = ProjectFileStorage.loadProjectProperties(new File(args[0]));
        RealProject p = new RealProject(props);
        p.loadProject(true);
        Core.setProject(p);
        Sink sink = new Sink();
        CalcMatchStatistics c = new CalcMatchStatistics(sink, false);
        c.run();
        if (sink.rows == null) {
            System.err.println("OmegaT gave no statistics table");
            System.exit(3);
        }
        for (String[] r : sink.rows) {
            System.out.println(r[0] + "\t" + r[1] + "\t" + r[2]);
        }
        System.exit(0);
    }
}
