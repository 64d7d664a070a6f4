using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
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
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Queues = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Skills = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    Presence = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastAssignedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_agents", x => x.UserId);
                });

            migrationBuilder.CreateTable(
                name: "support_business_calendar",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Hours = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Holidays = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_business_calendar", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_csat_surveys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TicketNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Rating = table.Column<int>(type: "INTEGER", nullable: true),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AnsweredAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    SetStatus = table.Column<int>(type: "INTEGER", nullable: true),
                    AddTags = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_macros", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_queues",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Strategy = table.Column<int>(type: "INTEGER", nullable: false),
                    IsDefault = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastAssignedUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_queues", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_sla_policies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Priority = table.Column<int>(type: "INTEGER", nullable: true),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    FirstResponseMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    NextResponseMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    ResolutionMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    WarnBeforeMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    PauseOnHold = table.Column<bool>(type: "INTEGER", nullable: false),
                    RaisePriorityOnBreach = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReassignOnBreach = table.Column<bool>(type: "INTEGER", nullable: false),
                    SupervisorEmail = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_sla_policies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_ticket_work",
                columns: table => new
                {
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    QueueId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Skill = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    RuleName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PolicyId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FirstResponseDueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NextResponseDueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResolutionDueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PausedSince = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Warned = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Breached = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    TargetsMet = table.Column<int>(type: "INTEGER", nullable: false),
                    TargetsMissed = table.Column<int>(type: "INTEGER", nullable: false),
                    NextCheckAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AssistantAnswered = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    Keywords = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    MinLifetimeSpendMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    QueueId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Skill = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true)
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
