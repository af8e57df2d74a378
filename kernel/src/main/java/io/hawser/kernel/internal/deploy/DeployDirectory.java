package io.hawser.kernel.internal.deploy;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Makes FileInstall watch the deploy directory, so a plugin bundle dropped there is installed and
 * started, replaced when the file changes, and uninstalled when it is removed. The configuration
 * directory is watched through the launcher's framework properties; FileInstall takes further
 * directories only as configurations, hence this one.
 */
@Component
public final class DeployDirectory {

    /** Framework property naming the deploy directory; without it nothing is watched. */
    static final String DEPLOY_PROPERTY = "hawser.deploy";

    private static final String FILEINSTALL_FACTORY_PID = "org.apache.felix.fileinstall";
    /** Where FileInstall keeps scratch directories; a factory configuration does not inherit the framework's. */
    private static final String FILEINSTALL_TMPDIR = "felix.fileinstall.tmpdir";

    @Activate
    public DeployDirectory(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) throws IOException {
        String directory = context.getProperty(DEPLOY_PROPERTY);
        if (directory == null) {
            return;
        }
        // "?" lets the FileInstall bundle bind the configuration, whoever created it
        Configuration configuration = configurationAdmin.getFactoryConfiguration(FILEINSTALL_FACTORY_PID, "deploy", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("felix.fileinstall.dir", directory);
        properties.put("felix.fileinstall.filter", ".*\\.jar");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.start.new.bundles", "true");
        properties.put("felix.fileinstall.poll", "1000");
        String scratch = context.getProperty(FILEINSTALL_TMPDIR);
        if (scratch != null) {
            properties.put(FILEINSTALL_TMPDIR, scratch);
        }
        configuration.updateIfDifferent(properties);
    }
}
