package io.hawser.plugin;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares a component as a Hawser plugin: put it on the component class beside
 * {@code @Component}. It becomes the component properties {@value #PREFIX_}type and
 * {@value #PREFIX_}id, which the kernel reads from the component description, so an
 * unsatisfied plugin is listed with its reason instead of silently missing.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface HawserPlugin {
    /** Prefix of the component property names. */
    String PREFIX_ = "hawser.plugin.";

    /** Component property holding the plugin type. */
    String TYPE_PROPERTY = PREFIX_ + "type";

    /** Component property holding the plugin id. */
    String ID_PROPERTY = PREFIX_ + "id";

    /** The plugin type, one of the constants of {@link PluginType}. */
    String type();

    /** The id, unique within the type: what operators name on the command line. */
    String id();
}
