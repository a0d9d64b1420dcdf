package zapi.grouproutes.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

import com.zaxxer.hikari.HikariDataSource;

import zapi.grouproutes.database.Database;

/**
 * The Quartz scheduler behind the schedule source, made here rather than by camel-quartz from a
 * properties file, so that its job store uses the product's database through a pool of its own.
 * <ul>
 * <li><b>Job store:</b> JDBC ({@code JobStoreTX}) on every database, in the {@code QRTZ_*} tables of the
 * product's Flyway migrations. The trigger and its last fire outlive a restart, so a tick missed while
 * the service was down fires once at the next start.</li>
 * <li><b>Cluster:</b> on PostgreSQL and MariaDB {@code isClustered=true}: instances sharing the database
 * take each tick in turn under a row lock, so a tick fires once between them, and a tick whose instance
 * stopped checking in is recovered by another. The embedded H2 file is one process's: one instance.</li>
 * <li><b>Name:</b> Quartz knows the cluster by {@code instanceName}, and camel-quartz's job finds its
 * route by the CamelContext's name, so both are {@code camel.main.name}: it must be the same on every
 * instance.</li>
 * <li><b>Misfires:</b> a tick later than the misfire threshold (the service was down, or the previous tick
 * ran long) fires once, at once, whatever number of ticks it stands for (camel-quartz's cron triggers use
 * {@code MISFIRE_INSTRUCTION_FIRE_ONCE_NOW}).</li>
 * </ul>
 */
final class TickScheduler {

    private TickScheduler() {
    }

    static Scheduler create(String clusterName, Database database, ScheduleSettings settings) throws SchedulerException {
        String url = database.settings().url();
        boolean clustered = url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:");
        // Quartz's own threads (misfire handler, cluster check-in) and the firing thread: three connections
        HikariDataSource pool = database.openPool("zapi-quartz", 3);
        // Quartz finds its data source by name in a JVM-wide registry: one name per scheduler made here
        String dataSource = "zapi-quartz-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void shutdown() {
                pool.close();
            }

            @Override
            public void initialize() {
                // the pool is open already
            }
        });
        Properties quartz = new Properties();
        quartz.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, clusterName);
        quartz.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, StdSchedulerFactory.AUTO_GENERATE_INSTANCE_ID);
        // one schedule whose ticks never overlap (a stateful job): one thread fires it
        quartz.setProperty("org.quartz.threadPool.threadCount", "1");
        quartz.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        quartz.setProperty("org.quartz.jobStore.dataSource", dataSource);
        // PostgreSQL's and H2's job data columns are BYTEA (read as bytes); MariaDB's are BLOBs
        quartz.setProperty("org.quartz.jobStore.driverDelegateClass", url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")
                ? "org.quartz.impl.jdbcjobstore.StdJDBCDelegate" : "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        quartz.setProperty("org.quartz.jobStore.isClustered", String.valueOf(clustered));
        quartz.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(settings.clusterCheckin().toMillis()));
        quartz.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(settings.misfireThreshold().toMillis()));
        // the job data holds strings only (camel-quartz's endpoint URI and context name)
        quartz.setProperty("org.quartz.jobStore.useProperties", "false");
        quartz.setProperty("org.quartz.scheduler.interruptJobsOnShutdownWithWait", "false");
        try {
            return new StdSchedulerFactory(quartz).getScheduler();
        } catch (SchedulerException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    static boolean isClustered(Scheduler scheduler) throws SchedulerException {
        return scheduler.getMetaData().isJobStoreClustered();
    }
}
