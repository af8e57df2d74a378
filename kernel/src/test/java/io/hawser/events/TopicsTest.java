package io.hawser.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class TopicsTest {

    /** Event Admin's topic grammar: tokens of letters, digits, '_' and '-', separated by '/'. */
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");

    @Test
    void everyTopicIsValidForEventAdmin() throws IllegalAccessException {
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String topic = (String) f.get(null);
                assertTrue(TOPIC.matcher(topic).matches(), f.getName() + " = " + topic);
            }
        }
    }

    @Test
    void wildcardCoversFamily() {
        assertEquals("hawser/tasks/*", Topics.all(Topics.TASKS));
        assertTrue(Topics.matches(Topics.all(Topics.TASKS), Topics.TASK_EXIT));
        assertTrue(Topics.matches(Topics.all(Topics.TASKS), Topics.TASK_EXEC_STARTED));
        assertFalse(Topics.matches(Topics.all(Topics.TASKS), Topics.CONTAINER_CREATE));
        assertFalse(Topics.matches(Topics.all(Topics.TASKS), Topics.TASKS));
        assertTrue(Topics.matches(Topics.all(Topics.ROOT), Topics.IMAGE_DELETE));
        assertTrue(Topics.matches("*", Topics.CONTENT_DELETE));
        assertTrue(Topics.matches(Topics.TASK_OOM, Topics.TASK_OOM));
        assertFalse(Topics.matches(Topics.TASK_OOM, Topics.TASK_EXIT));
    }

    @Test
    void wildcardRefusesMalformedPrefix() {
        assertThrows(IllegalArgumentException.class, () -> Topics.all(""));
        assertThrows(IllegalArgumentException.class, () -> Topics.all("hawser/"));
        assertThrows(IllegalArgumentException.class, () -> Topics.all("hawser/*"));
    }
}
