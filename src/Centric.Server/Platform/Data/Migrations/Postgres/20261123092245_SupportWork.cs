using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SupportWork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "support_agents",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Queues = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Skills = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Capacity = table.Column<int>(type: "integer", nullable: false),
                    Presence = table.Column<int>(type: "integer", nullable: false),
                    LastSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastAssignedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_agents", x => x.UserId);
                });

            migrationBuilder.CreateTable(
                name: "support_business_calendar",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Hours = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Holidays = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_business_calendar", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_csat_surveys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TicketId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    TicketNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Rating = table.Column<int>(type: "integer", nullable: true),
                    Comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    AnsweredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_csat_surveys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_support_csat_surveys_support_tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "support_tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_macros",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Body = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    SetStatus = table.Column<int>(type: "integer", nullable: true),
                    AddTags = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_macros", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_queues",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Strategy = table.Column<int>(type: "integer", nullable: false),
                    IsDefault = table.Column<bool>(type: "boolean", nullable: false),
                    LastAssignedUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_queues", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_sla_policies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Priority = table.Column<int>(type: "integer", nullable: true),
                    Tier = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    FirstResponseMinutes = table.Column<int>(type: "integer", nullable: false),
                    NextResponseMinutes = table.Column<int>(type: "integer", nullable: false),
                    ResolutionMinutes = table.Column<int>(type: "integer", nullable: false),
                    WarnBeforeMinutes = table.Column<int>(type: "integer", nullable: false),
                    PauseOnHold = table.Column<bool>(type: "boolean", nullable: false),
                    RaisePriorityOnBreach = table.Column<bool>(type: "boolean", nullable: false),
                    ReassignOnBreach = table.Column<bool>(type: "boolean", nullable: false),
                    SupervisorEmail = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_sla_policies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_ticket_work",
                columns: table => new
                {
                    TicketId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    QueueId = table.Column<Guid>(type: "uuid", nullable: true),
                    Skill = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Tier = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    RuleName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    PolicyId = table.Column<Guid>(type: "uuid", nullable: true),
                    FirstResponseDueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NextResponseDueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ResolutionDueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    PausedSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Warned = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Breached = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TargetsMet = table.Column<int>(type: "integer", nullable: false),
                    TargetsMissed = table.Column<int>(type: "integer", nullable: false),
                    NextCheckAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    AssistantAnswered = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_ticket_work", x => x.TicketId);
                    table.ForeignKey(
                        name: "FK_support_ticket_work_support_tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "support_tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_routing_rules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Language = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    Keywords = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Tier = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    MinLifetimeSpendMinor = table.Column<long>(type: "bigint", nullable: true),
                    QueueId = table.Column<Guid>(type: "uuid", nullable: false),
                    Skill = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_routing_rules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_support_routing_rules_support_queues_QueueId",
                        column: x => x.QueueId,
                        principalTable: "support_queues",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_support_csat_surveys_AnsweredAt",
                table: "support_csat_surveys",
                column: "AnsweredAt");

            migrationBuilder.CreateIndex(
                name: "IX_support_csat_surveys_ProfileId",
                table: "support_csat_surveys",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_support_csat_surveys_TicketId",
                table: "support_csat_surveys",
                column: "TicketId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_macros_Name",
                table: "support_macros",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_queues_Key",
                table: "support_queues",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_routing_rules_QueueId",
                table: "support_routing_rules",
                column: "QueueId");

            migrationBuilder.CreateIndex(
                name: "IX_support_ticket_work_NextCheckAt",
                table: "support_ticket_work",
                column: "NextCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_support_ticket_work_ProfileId",
                table: "support_ticket_work",
                column: "ProfileId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "support_agents");

            migrationBuilder.DropTable(
                name: "support_business_calendar");

            migrationBuilder.DropTable(
                name: "support_csat_surveys");

            migrationBuilder.DropTable(
                name: "support_macros");

            migrationBuilder.DropTable(
                name: "support_routing_rules");

            migrationBuilder.DropTable(
                name: "support_sla_policies");

            migrationBuilder.DropTable(
                name: "support_ticket_work");

            migrationBuilder.DropTable(
                name: "support_queues");
        }
    }
}
